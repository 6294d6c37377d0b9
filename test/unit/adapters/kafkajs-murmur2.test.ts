import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// patches/kafkajs+2.2.4.patch replaces the hash of kafkajs' default (Java-compatible) partitioner, which
// built a Long object per step of every keyed message. The reference below is kafkajs 2.2.4's own code on
// its own Long; the patched hash must agree on every key, or a redriven order would change partitions.

const require = createRequire(import.meta.url);
const modulePath = 'kafkajs/src/producer/partitioners/default/murmur2';

type Hash = (key: Buffer | string) => number;

interface LongValue {
  xor(other: LongValue | number): LongValue;
  multiply(other: LongValue): LongValue;
  toInt(): number;
}
const Long = require('kafkajs/src/utils/long') as { fromValue(value: LongValue | number): LongValue };

const patched = require(modulePath) as Hash;

const original: Hash = (key) => {
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
  const length = data.length;
  const M = Long.fromValue(0x5bd1e995);
  let h = Long.fromValue(Long.fromValue(0x9747b28c).xor(length));
  for (let i = 0; i < Math.floor(length / 4); i++) {
    const i4 = i * 4;
    let k = Long.fromValue(
      (data[i4] ?? 0) +
        ((data[i4 + 1] ?? 0) << 8) +
        ((data[i4 + 2] ?? 0) << 16) +
        ((data[i4 + 3] ?? 0) << 24),
    );
    k = k.multiply(M);
    k = k.xor(k.toInt() >>> 24);
    k = Long.fromValue(k).multiply(M);
    h = h.multiply(M);
    h = h.xor(k);
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h = h.xor((data[tail + 2] ?? 0) << 16);
  if (rest >= 2) h = h.xor((data[tail + 1] ?? 0) << 8);
  if (rest >= 1) h = h.xor(data[tail] ?? 0).multiply(M);
  h = h.xor(h.toInt() >>> 13);
  h = h.multiply(M);
  h = h.xor(h.toInt() >>> 15);
  return h.toInt();
};

describe('kafkajs murmur2 (patched)', () => {
  it('is the patched module', () => {
    expect(readFileSync(require.resolve(`${modulePath}.js`), 'utf8')).toContain('Patched (kafka-dlq-orders');
  });

  it('hashes as kafkajs 2.2.4 does, for keys of every length modulo four and every byte value', () => {
    for (let trial = 0; trial < 20_000; trial += 1) {
      const key = randomBytes(trial % 67);
      expect(patched(key), key.toString('hex')).toBe(original(key));
    }
  });

  it('hashes string keys as their UTF-8 bytes, as the Java client does', () => {
    for (const key of ['', '0', 'a', 'order-1', 'bench-ops-000123', 'zażółć', '🙂🙂🙂']) {
      expect(patched(key), key).toBe(original(key));
      expect(patched(key)).toBe(patched(Buffer.from(key, 'utf8')));
    }
  });
});
