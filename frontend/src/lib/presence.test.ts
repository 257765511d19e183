import { describe, expect, it } from 'vitest';
import { syncNote, workLine } from './presence';

describe('workLine', () => {
  const now = new Date('2026-12-04T10:55:00Z').getTime();

  it('says working now while the latest segment is fresh, with its memo', () => {
    expect(workLine('2026-12-04T10:40:00Z', 'Parser', now)).toEqual({ now: true, text: 'Working now', memo: 'Parser' });
  });

  it('says when the last work was once it is older', () => {
    const line = workLine('2026-12-04T09:00:00Z', 'Docs', now)!;
    expect(line.now).toBe(false);
    expect(line.text).toMatch(/^Last worked at \d\d:\d\d$/);
  });

  it('says nothing without received work', () => {
    expect(workLine('', 'x', now)).toBeNull();
    expect(workLine('0001-01-01T00:00:00Z', 'x', now)).toBeNull();
  });
});

describe('syncNote', () => {
  it('waits calmly for an offline counterpart and shows other failures', () => {
    expect(syncNote('', false, 'employer')).toBeNull();
    expect(syncNote('the employer is not reachable right now', true, 'employer')).toEqual({
      tone: 'calm',
      text: 'Waiting for your employer to come online; the next sync tries again.',
    });
    expect(syncNote('terms: the weekly limit differs', false, 'contractor')).toEqual({
      tone: 'failed',
      text: 'Last sync failed: Terms: the weekly limit differs',
    });
  });
});
