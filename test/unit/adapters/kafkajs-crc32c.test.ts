import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// patches/kafkajs+2.2.4.patch replaces the record batch checksum, a byte at a time in kafkajs 2.2.4, with
// one that takes eight bytes a step. A wrong checksum would have every batch refused by the broker; the
// reference below is the published byte-at-a-time loop over the same table.

const require = createRequire(import.meta.url);
const modulePath = 'kafkajs/src/protocol/recordBatch/crc32C/crc32C';
const patched = require(modulePath) as (buffer: Buffer) => number;

// The CRC-32C (Castagnoli) table, reflected polynomial 0x82f63b78.
const table = Int32Array.from({ length: 256 }, (_, n) => {
  let crc = n;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  return crc;
});
const reference = (buffer: Buffer): number => {
  let crc = 0 ^ -1;
  for (const byte of buffer) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
};

describe('kafkajs crc32C (patched)', () => {
  it('is the patched module', () => {
    expect(readFileSync(require.resolve(`${modulePath}.js`), 'utf8')).toContain('Patched (kafka-dlq-orders');
  });

  it('gives the standard check value', () => {
    expect(patched(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  });

  it('agrees with the byte-at-a-time checksum for every length modulo eight and for views', () => {
    for (let length = 0; length < 2_000; length += 1) {
      const bytes = randomBytes(length + 3).subarray(3);
      expect(patched(bytes), `length ${length}`).toBe(reference(bytes));
    }
    const large = randomBytes(1024 * 1024 + 5);
    expect(patched(large)).toBe(reference(large));
  });
});
