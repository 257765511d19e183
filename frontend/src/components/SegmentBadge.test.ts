import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { someSegment, todayAt } from '../testing/fixtures';
import SegmentBadge from './SegmentBadge.svelte';

describe('SegmentBadge', () => {
  it('reads the way to delivery in words, with what each state means on hover', () => {
    for (const [state, label, hint] of [
      ['recorded', 'Recorded', 'nobody else sees it until you approve it'],
      ['approved', 'Approved, not sent yet', 'goes to your employer at the next sync'],
      ['synced', 'Delivered', 'the employer’s computer holds this signed segment'],
    ]) {
      const { unmount } = render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0), state } as never) });
      const badge = screen.getByTestId('segment-badge');
      expect(badge).toHaveTextContent(label);
      expect(badge.getAttribute('title')).toContain(hint);
      unmount();
    }
  });

  it('names the closed week a correction makes up for, and only then', () => {
    const { unmount } = render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0), kind: 'manual', corrects: '2026-W47' }) });
    const tag = screen.getByTestId('segment-corrects');
    expect(tag).toHaveTextContent('Corrects 2026-W47');
    expect(tag.getAttribute('title')).toContain('a week already closed');
    unmount();

    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0) }) });
    expect(screen.queryByTestId('segment-corrects')).not.toBeInTheDocument();
  });

  it('says when idle time waits for keep or discard', () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0), idle_pending: [4, 5] }) });

    expect(screen.getByTestId('segment-idle-pending')).toHaveTextContent('Idle: undecided');
  });

  it('says nothing of idle time once it is decided', () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0) }) });

    expect(screen.queryByTestId('segment-idle-pending')).not.toBeInTheDocument();
  });

  it('says what the session could not record', () => {
    render(SegmentBadge, {
      segment: someSegment({ start: todayAt(9, 0), unverified: ['screenshots unavailable in this session'] } as never),
    });

    expect(screen.getByTestId('segment-unverified')).toHaveTextContent('screenshots unavailable in this session');
  });

  it("shows the employer's dispute with its reason", () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0), disputed: 'Not this project' } as never) });

    expect(screen.getByTestId('segment-disputed')).toHaveTextContent('Disputed: Not this project');
  });

  it('says nothing for a fully recorded segment', () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0) }) });

    expect(screen.queryByTestId('segment-unverified')).not.toBeInTheDocument();
  });
});
