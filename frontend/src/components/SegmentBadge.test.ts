import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { someSegment, todayAt } from '../testing/fixtures';
import SegmentBadge from './SegmentBadge.svelte';

describe('SegmentBadge', () => {
  it('says when idle time waits for keep or discard', () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0), idle_pending: [4, 5] }) });

    expect(screen.getByTestId('segment-idle-pending')).toHaveTextContent('Idle: undecided');
  });

  it('says nothing of idle time once it is decided', () => {
    render(SegmentBadge, { segment: someSegment({ start: todayAt(9, 0) }) });

    expect(screen.queryByTestId('segment-idle-pending')).not.toBeInTheDocument();
  });
});
