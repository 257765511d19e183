import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/IdentityAPI');
vi.mock('../../wailsjs/runtime/runtime', () => import('../testing/wails-runtime'));

import { Create, Get } from '../../wailsjs/go/app/IdentityAPI';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { IDENTITY_CREATED } from '../lib/events';
import { noIdentity, someIdentity } from '../testing/fixtures';
import { EMPTY_NAME_MESSAGE, IdentityStore } from './identity.svelte';

const get = vi.mocked(Get);
const create = vi.mocked(Create);
const eventsOn = vi.mocked(EventsOn);

beforeEach(() => {
  vi.resetAllMocks();
});

describe('IdentityStore.load', () => {
  it('reports an existing identity', async () => {
    get.mockResolvedValue(someIdentity());
    const store = new IdentityStore();
    expect(store.exists).toBeUndefined();

    await store.load();

    expect(store.status).toBe('ready');
    expect(store.exists).toBe(true);
    expect(store.identity?.name).toBe('Ada Lovelace');
    expect(store.error).toBe('');
  });

  it('reports exists === false on first run', async () => {
    get.mockResolvedValue(noIdentity());
    const store = new IdentityStore();

    await store.load();

    expect(store.status).toBe('ready');
    expect(store.exists).toBe(false);
  });

  it('keeps the backend message when Get fails', async () => {
    get.mockRejectedValue('open data folder: permission denied');
    const store = new IdentityStore();

    await store.load();

    expect(store.status).toBe('failed');
    expect(store.error).toBe('open data folder: permission denied');
    expect(store.exists).toBeUndefined();
  });

  it('explains a failure that carries no message', async () => {
    get.mockRejectedValue(undefined);
    const store = new IdentityStore();

    await store.load();

    expect(store.error).toMatch(/Restart the app/);
  });
});

describe('IdentityStore.create', () => {
  it('creates with the trimmed name', async () => {
    create.mockResolvedValue(someIdentity('Grace Hopper'));
    const store = new IdentityStore();

    const ok = await store.create('  Grace Hopper  ');

    expect(ok).toBe(true);
    expect(create).toHaveBeenCalledWith('Grace Hopper');
    expect(store.exists).toBe(true);
    expect(store.identity?.name).toBe('Grace Hopper');
    expect(store.creating).toBe(false);
  });

  it('refuses an empty name without calling Go', async () => {
    const store = new IdentityStore();

    const ok = await store.create('   ');

    expect(ok).toBe(false);
    expect(create).not.toHaveBeenCalled();
    expect(store.error).toBe(EMPTY_NAME_MESSAGE);
  });

  it('keeps the backend error and the old state when Create fails', async () => {
    get.mockResolvedValue(noIdentity());
    create.mockRejectedValue('an identity already exists in this data folder');
    const store = new IdentityStore();
    await store.load();

    const ok = await store.create('Ada');

    expect(ok).toBe(false);
    expect(store.error).toBe('an identity already exists in this data folder');
    expect(store.exists).toBe(false);
    expect(store.creating).toBe(false);
  });

  it('is creating while Go works', async () => {
    let finish: (v: ReturnType<typeof someIdentity>) => void = () => {};
    create.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const store = new IdentityStore();

    const pending = store.create('Ada');
    expect(store.creating).toBe(true);
    finish(someIdentity('Ada'));
    await pending;

    expect(store.creating).toBe(false);
  });
});

describe('IdentityStore.subscribe', () => {
  it('re-reads the identity on identity:created', async () => {
    const unsubscribe = vi.fn();
    eventsOn.mockReturnValue(unsubscribe);
    get.mockResolvedValue(someIdentity('Ada'));
    const store = new IdentityStore();

    const off = store.subscribe();
    expect(eventsOn).toHaveBeenCalledWith(IDENTITY_CREATED, expect.any(Function));
    const handler = eventsOn.mock.calls[0][1];
    handler();
    await vi.waitFor(() => expect(store.exists).toBe(true));

    off();
    expect(unsubscribe).toHaveBeenCalled();
  });

  it('does nothing without a Wails runtime', () => {
    eventsOn.mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'EventsOnMultiple')");
    });
    const store = new IdentityStore();

    expect(() => store.subscribe()()).not.toThrow();
  });
});
