// The webcam store: a contract's webcam switch, the cameras to choose from
// and a live preview. The only place the UI talks to app.WebcamAPI.
import { Cameras, Preview, Set, Status } from '../../wailsjs/go/app/WebcamAPI';
import type { capture, node } from '../../wailsjs/go/models';
import { errorMessage, sentence } from '../lib/errors';

export type Camera = capture.Camera;
export type WebcamState = node.WebcamState;

/** Shown when no camera is there at all. */
export const NO_CAMERA_MESSAGE =
  'No camera found. Connect one (or close the app that holds it) and try again; until then no webcam photos are taken.';

/** How often the preview takes a new picture while it is open. */
export const PREVIEW_EVERY_MS = 1000;

export class WebcamStore {
  state = $state.raw<WebcamState | null>(null);
  cameras = $state.raw<Camera[]>([]);
  /** The preview's last picture, a data: URL; '' when none. */
  preview = $state('');
  /** Why the camera does not work, in words; '' when it does. */
  problem = $state('');
  error = $state('');
  busy = $state(false);
  private timer: ReturnType<typeof setInterval> | undefined;
  private loaded = '';

  /** Reads a contract's switch ('' = none chosen). */
  async load(contract: string): Promise<void> {
    if (contract === this.loaded) return;
    this.loaded = contract;
    this.stopPreview();
    this.state = null;
    this.error = '';
    this.problem = '';
    if (contract === '') return;
    try {
      this.state = await Status(contract);
    } catch (err) {
      this.error = sentence(errorMessage(err));
    }
  }

  /** Lists the cameras; says so when there is none. Resolves whether any is there. */
  async listCameras(): Promise<boolean> {
    try {
      this.cameras = await Cameras();
    } catch (err) {
      this.cameras = [];
      this.problem = sentence(errorMessage(err));
      return false;
    }
    const usable = this.cameras.filter((c) => !c.problem);
    if (this.cameras.length === 0) this.problem = NO_CAMERA_MESSAGE;
    else if (usable.length === 0) this.problem = sentence(`${this.cameras[0].name}: ${this.cameras[0].problem}`);
    else this.problem = '';
    return usable.length > 0;
  }

  /**
   * Switches photos on (only with a camera to take them) or off, keeping
   * the chosen camera. Resolves true when saved.
   */
  async setOn(on: boolean): Promise<boolean> {
    const st = this.state;
    if (!st) return false;
    this.busy = true;
    this.error = '';
    try {
      if (on && !(await this.listCameras())) return false;
      this.state = await Set(st.contract, on, st.device || this.cameras.find((c) => !c.problem)?.device || '');
      if (on) this.startPreview();
      else this.stopPreview();
      return true;
    } catch (err) {
      this.error = sentence(errorMessage(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Chooses the camera photos are taken with. */
  async choose(device: string): Promise<void> {
    const st = this.state;
    if (!st) return;
    try {
      this.state = await Set(st.contract, st.on, device);
      this.preview = '';
      await this.snap();
    } catch (err) {
      this.error = sentence(errorMessage(err));
    }
  }

  /** Takes one preview picture with the chosen camera. */
  async snap(): Promise<void> {
    try {
      this.preview = await Preview(this.state?.device ?? '');
      this.problem = '';
    } catch (err) {
      this.preview = '';
      this.problem = sentence(errorMessage(err));
    }
  }

  /** Opens the preview: the cameras, then a picture a second until stopped. */
  async startPreview(): Promise<void> {
    this.stopPreview();
    if (!(await this.listCameras())) return;
    await this.snap();
    this.timer = setInterval(() => void this.snap(), PREVIEW_EVERY_MS);
  }

  stopPreview(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.preview = '';
  }
}

/** The app-wide webcam store. */
export const webcam = new WebcamStore();
