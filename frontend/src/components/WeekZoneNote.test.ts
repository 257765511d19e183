import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setDisplayZone } from '../lib/zone.svelte';
import WeekZoneNote from './WeekZoneNote.svelte';

afterEach(() => setDisplayZone(''));

describe('WeekZoneNote', () => {
  it("says the week is UTC and where its start falls in the reader's zone", () => {
    setDisplayZone('Asia/Kolkata');
    render(WeekZoneNote, { consent: ['Screenshots: 1 per 10 minutes', 'Weeks start Sunday 18:30 UTC'] });
    const text = screen.getByTestId('week-zone').textContent ?? '';
    expect(text).toContain('each starts Sunday 18:30 UTC, which is Monday 00:00 in your time zone (Asia/Kolkata)');
  });

  it('takes the default week without the terms', () => {
    setDisplayZone('UTC');
    render(WeekZoneNote, {});
    expect(screen.getByTestId('week-zone').textContent).toContain('Monday 00:00 UTC, which is Monday 00:00');
  });
});
