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

  it("names the offer's week zone and where its start falls in the reader's", () => {
    setDisplayZone('America/New_York');
    render(WeekZoneNote, { consent: ['Weeks start Monday 00:00 Europe/Berlin'] });
    const text = screen.getByTestId('week-zone').textContent ?? '';
    expect(text).toContain('Weeks are counted in Europe/Berlin: each starts Monday 00:00 Europe/Berlin, which is Sunday 18:00');
  });

  it('says when the week zone is the reader’s own', () => {
    setDisplayZone('Europe/Berlin');
    render(WeekZoneNote, { consent: ['Weeks start Monday 00:00 Europe/Berlin'] });
    expect(screen.getByTestId('week-zone').textContent).toContain('Weeks are counted in Europe/Berlin, your time zone: each starts Monday 00:00.');
  });

  it('speaks of contracts in general without the terms', () => {
    setDisplayZone('UTC');
    render(WeekZoneNote, {});
    expect(screen.getByTestId('week-zone').textContent).toContain("each contract's week zone, UTC unless its offer names another");
  });
});
