import { describe, expect, it } from 'vitest';
import { needsAdvice, pathWords, reachLine } from './reach';

describe('reach words', () => {
  it('says each path in plain words', () => {
    expect(pathWords('hole-punched')).toBe('directly, through both routers');
    expect(pathWords('relayed')).toBe('through your relay');
    expect(pathWords('file')).toBe('by log file');
    expect(pathWords('')).toBe('');
    expect(pathWords('something new')).toBe('');
  });

  it('prefers how the counterpart is reached now over the last sync', () => {
    expect(reachLine({ path: 'lan', last_path: 'file' })).toBe('Reached on your local network');
    expect(reachLine({ last_path: 'direct' })).toBe('Last synced directly over the internet');
    expect(reachLine({})).toBe('');
    expect(reachLine(undefined)).toBe('');
  });

  it('gives advice only where a public relay is the only path', () => {
    expect(needsAdvice({ path: 'relayed-limited' })).toBe(true);
    expect(needsAdvice({ path: 'relayed' })).toBe(false);
    expect(needsAdvice(undefined)).toBe(false);
  });
});
