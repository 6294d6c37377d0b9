import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../../infra/local/broker/storage.js';

describe('newClusterId', () => {
  it('never starts with a dash, which the storage tool would take for an option', () => {
    // Act: 1 in 64 random ids would start with '-', so 5,000 of them would include ~78 without the guard
    const ids = Array.from({ length: 5_000 }, () => newClusterId());

    // Assess
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
  });
});
