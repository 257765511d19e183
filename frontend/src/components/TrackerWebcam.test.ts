import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/WebcamAPI');

import { Cameras, Preview, Set, Status } from '../../wailsjs/go/app/WebcamAPI';
import type { node } from '../../wailsjs/go/models';
import { NO_CAMERA_MESSAGE, WebcamStore } from '../stores/webcam.svelte';
import TrackerWebcam from './TrackerWebcam.svelte';

const state = (over: Partial<node.WebcamState> = {}): node.WebcamState =>
  ({ contract: 'c1', allowed: true, on: false, device: '', ...over }) as node.WebcamState;

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(Status).mockResolvedValue(state());
  vi.mocked(Set).mockImplementation(async (contract, on, device) => state({ contract, on, device }));
});

function setup(running = false) {
  const store = new WebcamStore();
  const r = render(TrackerWebcam, { contract: 'c1', running, store });
  return { store, user: userEvent.setup(), ...r };
}

describe('TrackerWebcam', () => {
  it('shows nothing on a contract without webcam photos', async () => {
    vi.mocked(Status).mockResolvedValue(state({ allowed: false }));
    setup();
    await waitFor(() => expect(Status).toHaveBeenCalledWith('c1'));
    expect(screen.queryByTestId('tracker-webcam')).toBeNull();
  });

  it('says clearly that there is no camera and leaves the switch off', async () => {
    vi.mocked(Cameras).mockResolvedValue([]);
    const { user } = setup();
    const box = await screen.findByTestId<HTMLInputElement>('webcam-switch');
    await user.click(box);
    expect((await screen.findByTestId('webcam-problem')).textContent).toBe(NO_CAMERA_MESSAGE);
    expect(box.checked).toBe(false);
    expect(Set).not.toHaveBeenCalled();
  });

  it('switches photos on, picks a camera and shows its live picture', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      vi.mocked(Cameras).mockResolvedValue([
        { device: '/dev/video0', name: 'Integrated Camera' },
        { device: '/dev/video2', name: 'USB Camera (YUYV)' },
      ]);
      vi.mocked(Preview).mockResolvedValue('data:image/jpeg;base64,AAAA');
      const { user, store } = setup(true);
      await user.click(await screen.findByTestId('webcam-switch'));
      expect(Set).toHaveBeenCalledWith('c1', true, '/dev/video0');
      expect(await screen.findByTestId('webcam-preview')).toBeTruthy();
      expect(screen.getByTestId('webcam-next-start')).toBeTruthy();
      await user.selectOptions(screen.getByTestId('webcam-camera'), '/dev/video2');
      expect(Set).toHaveBeenLastCalledWith('c1', true, '/dev/video2');
      await waitFor(() => expect(Preview).toHaveBeenLastCalledWith('/dev/video2'));
      const calls = vi.mocked(Preview).mock.calls.length;
      await vi.advanceTimersByTimeAsync(2100);
      expect(vi.mocked(Preview).mock.calls.length).toBeGreaterThanOrEqual(calls + 2);
      store.stopPreview();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows why a camera gives no picture', async () => {
    vi.mocked(Status).mockResolvedValue(state({ on: true }));
    vi.mocked(Cameras).mockResolvedValue([{ device: '/dev/video0', name: 'Odd Camera' }]);
    vi.mocked(Preview).mockRejectedValue(
      'this camera sends a picture format Workdiary cannot read (neither MJPEG nor YUYV): choose another camera',
    );
    const { user, store } = setup();
    await user.click(await screen.findByTestId('webcam-preview-show'));
    expect((await screen.findByTestId('webcam-problem')).textContent).toContain('neither MJPEG nor YUYV');
    expect(screen.queryByTestId('webcam-preview')).toBeNull();
    store.stopPreview();
  });
});
