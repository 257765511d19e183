import { describe, expect, it } from 'vitest';
import { errorMessage, humanError, sentence } from './errors';

describe('errors in words', () => {
  it('turns Go text into a sentence', () => {
    expect(sentence(' the memo cannot be empty')).toBe('The memo cannot be empty');
    expect(humanError('no cosigned checkpoint yet: sync with the other party first')).toBe(
      'No cosigned checkpoint yet: sync with the other party first.',
    );
    expect(humanError('Already a sentence.')).toBe('Already a sentence.');
    expect(humanError('')).toBe('');
  });

  it('always has something to say', () => {
    expect(errorMessage('boom')).toBe('boom');
    expect(errorMessage(new Error('bad'))).toBe('bad');
    expect(errorMessage(undefined)).toMatch(/^Something went wrong/);
  });
});
