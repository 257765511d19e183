import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/DiaryAPI');
vi.mock('../../wailsjs/go/app/ImagesAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Blur, List } from '../../wailsjs/go/app/DiaryAPI';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { DiaryStore } from '../stores/diary.svelte';
import { someImage, someSegment, todayAt } from '../testing/fixtures';
import SegmentViewer from './SegmentViewer.svelte';

const seg = someSegment({
  start: todayAt(10, 0),
  screenshots: [
    someImage({ hash: 's1', taken_at: todayAt(10, 3).toISOString() }),
    someImage({ hash: 's2', taken_at: todayAt(10, 7).toISOString(), redacted: true }),
  ],
  webcam: [someImage({ hash: 'w1', taken_at: todayAt(10, 3).toISOString() })],
});

async function setup() {
  const store = new DiaryStore();
  await store.load();
  const onclose = vi.fn();
  render(SegmentViewer, { store, segmentId: seg.id, titleOf: () => 'Website redesign', onclose });
  return { store, onclose, user: userEvent.setup() };
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(List).mockResolvedValue([seg]);
  vi.mocked(DataURL).mockImplementation(async (hash) => `data:image/jpeg;base64,${hash}`);
  vi.mocked(Blur).mockResolvedValue({ changed: [seg.id] });
});

describe('SegmentViewer', () => {
  it('steps through screenshots and webcam photos with their flags and times', async () => {
    const { user } = await setup();

    const viewer = screen.getByRole('dialog', { name: /10:00–10:10 · Website redesign/ });
    expect(await within(viewer).findByTestId('viewer-image')).toHaveAttribute('src', 'data:image/jpeg;base64,s1');
    expect(screen.getByTestId('viewer-caption')).toHaveTextContent('Screenshot 1 of 3, taken at 10:03');
    expect(screen.getByTestId('viewer-prev')).toBeDisabled();

    await user.click(screen.getByTestId('viewer-next'));
    expect(screen.getByTestId('viewer-caption')).toHaveTextContent('Redacted');
    expect(screen.queryByTestId('viewer-blur')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('viewer-next'));
    expect(screen.getByTestId('viewer-caption')).toHaveTextContent('Webcam photo 3 of 3');
    expect(await screen.findByTestId('viewer-image')).toHaveAttribute('src', 'data:image/jpeg;base64,w1');
    expect(screen.getByTestId('viewer-next')).toBeDisabled();
  });

  it('shows each minute and blurs one screenshot', async () => {
    const { user } = await setup();

    const rows = Array.from(screen.getByTestId('viewer-minutes').querySelectorAll('tbody tr'));
    const cells = (tr: Element) => Array.from(tr.children).map((c) => c.textContent?.trim());
    expect(rows).toHaveLength(10);
    expect(cells(rows[0])).toEqual(['10:00', '40', '5', '1', '—']);
    expect(cells(rows[9])).toEqual(['10:09', '0', '0', '0', '—']);
    await user.click(screen.getByTestId('viewer-blur'));
    expect(Blur).toHaveBeenCalledWith([seg.id], 's1');
  });

  it('closes on Esc and when the segment is gone', async () => {
    const { store, onclose, user } = await setup();

    await user.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalledTimes(1);

    vi.mocked(List).mockResolvedValue([]);
    await store.load();
    await vi.waitFor(() => expect(onclose).toHaveBeenCalledTimes(2));
  });
});
