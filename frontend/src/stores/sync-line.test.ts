import { describe, expect, it } from 'vitest';
import type { node } from '../../wailsjs/go/models';
import { CONTRACT_ID } from '../testing/fixtures';
import { entries, syncLineOf } from './sync-line';

const result = (over: Partial<node.SyncResult> = {}) =>
  ({ contract: CONTRACT_ID, title: 'Website redesign', role: 'employer', seq: 3, total: 0, ...over }) as node.SyncResult;

describe('entries', () => {
  it('counts in words', () => {
    expect([0, 1, 2].map(entries)).toEqual(['0 entries', '1 entry', '2 entries']);
  });
});

describe('syncLineOf', () => {
  it('puts what a good round did after the contract title', () => {
    expect(syncLineOf(result(), () => 'all there')).toEqual({
      contract: CONTRACT_ID,
      ok: true,
      text: 'Website redesign: all there',
    });
  });

  it('names an untitled contract by the start of its id', () => {
    expect(syncLineOf(result({ title: '' }), () => 'all there').text).toBe(
      `Contract ${CONTRACT_ID.slice(0, 8)}: all there`,
    );
  });

  it('reads a failed round as a sentence, without asking describe', () => {
    let asked = false;
    const line = syncLineOf(result({ error: 'the employer is not reachable right now' }), () => {
      asked = true;
      return 'all there';
    });
    expect(line).toEqual({
      contract: CONTRACT_ID,
      ok: false,
      text: 'Website redesign: The employer is not reachable right now',
    });
    expect(asked).toBe(false);
  });

  it('waits calmly for an offline counterpart', () => {
    const line = syncLineOf(
      result({ role: 'contractor', error: 'the employer is not reachable right now', unreachable: true }),
      () => 'all there',
    );
    expect(line).toEqual({
      contract: CONTRACT_ID,
      ok: true,
      text: 'Website redesign: waiting for your employer to come online; the next sync tries again.',
    });
  });
});
