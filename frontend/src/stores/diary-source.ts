// What the diary grid and segment viewer read. The contractor's own diary
// store and the employer's team store both provide it; only the contractor's
// adds selection and curation.
import type { Segment } from '../lib/diary';
import type { ImageCache } from './images.svelte';

/** A shown day's segments and their images: enough for a read-only grid. */
export interface DiarySource {
  /** Local midnight of the shown day. */
  readonly day: Date;
  readonly segments: readonly Segment[];
  readonly images: ImageCache;
}

/** The contractor's own diary: the grid selects, the viewer can blur. */
export interface CuratedDiary extends DiarySource {
  readonly selection: ReadonlySet<string>;
  readonly busy: boolean;
  toggle(id: string): void;
  selectMany(ids: readonly string[]): void;
  clearSelection(): void;
  blur(ids?: string[], imageHash?: string): Promise<boolean>;
}

/** The curation side of a source, or null for a read-only one. */
export function curated(source: DiarySource | CuratedDiary, readonly = false): CuratedDiary | null {
  return !readonly && 'toggle' in source ? source : null;
}

/** A shown day that moves day by day, up to today: what the day navigation drives. */
export interface DayStepper {
  /** Local midnight of the shown day. */
  readonly day: Date;
  readonly isToday: boolean;
  setDay(d: Date): void;
  /** Moves the shown day by n days (-1 = previous). */
  step(n: number): void;
  today(): void;
}
