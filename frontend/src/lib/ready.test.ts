import { describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/AgentAPI');

import { Shown } from '../../wailsjs/go/app/AgentAPI';
import { shown } from './ready';

describe('shown', () => {
  it('tells Go once, after the screen has been painted, whichever screen comes first', async () => {
    vi.mocked(Shown).mockResolvedValue(undefined);
    shown('diary');
    shown('tracker');
    expect(Shown).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(Shown).toHaveBeenCalledTimes(1));
    expect(Shown).toHaveBeenCalledWith('diary');
    await new Promise((r) => setTimeout(r, 50));
    expect(Shown).toHaveBeenCalledTimes(1);
  });
});
