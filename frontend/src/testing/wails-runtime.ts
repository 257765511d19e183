// The Wails runtime as unit tests see it, for
//   vi.mock('…/wailsjs/runtime/runtime', () => import('…/testing/wails-runtime'))
// EventsOn listens to nothing and hands back a function that stops nothing;
// a test that wants the handlers reads them from EventsOn's calls.
import { vi } from 'vitest';

export const EventsOn = vi.fn(() => () => {});
