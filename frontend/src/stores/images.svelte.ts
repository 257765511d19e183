// Screenshot and webcam images for the diary, read through app.ImagesAPI:
// thumbnails cached per hash (the grid asks only for visible cells; a synced
// image without a thumbnail is cached whole), full images in a small cache
// for the viewer.
import { SvelteMap } from 'svelte/reactivity';
import { DataURL } from '../../wailsjs/go/app/ImagesAPI';
import { errorMessage, sentence } from '../lib/errors';

/** Full-size images kept in memory for the viewer. */
export const IMAGE_CACHE = 12;

export class ImageCache {
  /** Thumbnail data: URLs by hash; '' when it could not be read. */
  readonly thumbs = new SvelteMap<string, string>();

  private pending = new Set<string>();
  private full = new Map<string, string>();

  /** Reads a thumbnail once; `thumbs` then holds it. */
  async loadThumb(hash: string): Promise<void> {
    if (hash === '' || this.thumbs.has(hash) || this.pending.has(hash)) return;
    this.pending.add(hash);
    try {
      this.thumbs.set(hash, await DataURL(hash));
    } catch {
      // Deleted or unreadable: the cell shows its placeholder.
      this.thumbs.set(hash, '');
    } finally {
      this.pending.delete(hash);
    }
  }

  /** A full-size image as a data: URL. Rejects with a readable message. */
  async image(hash: string): Promise<string> {
    // A cell without a thumbnail (synced segments) already read the full image.
    const hit = this.full.get(hash) || this.thumbs.get(hash);
    if (hit) return hit;
    try {
      const url = await DataURL(hash);
      this.full.set(hash, url);
      if (this.full.size > IMAGE_CACHE) this.full.delete(this.full.keys().next().value!);
      return url;
    } catch (err) {
      throw sentence(errorMessage(err));
    }
  }

  /** Drops everything, e.g. when another person's diary is shown. */
  clear(): void {
    this.thumbs.clear();
    this.full.clear();
  }

  /** Deleted images are gone from disk; keep none of them in memory either. */
  forget(images: readonly { hash: string; thumb?: string }[]): void {
    for (const img of images) {
      if (img.thumb) this.thumbs.delete(img.thumb);
      this.thumbs.delete(img.hash);
      this.full.delete(img.hash);
    }
  }
}
