import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';

// patches/kafkajs+2.2.4.patch replaces kafkajs' grouping of a send's messages by partition, which copied
// a partition's array for every message (quadratic in the batch). The reference below is kafkajs 2.2.4's
// own code; the patched module must give the same partitions, in the same order.

const require = createRequire(import.meta.url);
const modulePath = 'kafkajs/src/producer/groupMessagesPerPartition';

interface Message {
  key?: Buffer | string | null;
  value: string;
  partition?: number;
}
interface GroupArgs {
  topic: string;
  partitionMetadata: Array<{ partitionId: number; leader: number }>;
  messages: Message[];
  partitioner: (args: { topic: string; partitionMetadata: unknown; message: Message }) => number;
}
type Grouping = (args: GroupArgs) => Record<string, Message[]>;

const patched = require(modulePath) as Grouping;

const original: Grouping = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) {
    return {};
  }
  return messages.reduce<Record<string, Message[]>>((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition] || [];
    return Object.assign(result, { [partition]: [...current, message] });
  }, {});
};

const partitionsOf = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: partitionId % 2 }));

// Deterministic, so a failure names the case that broke.
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('kafkajs groupMessagesPerPartition (patched)', () => {
  it('is the patched module', () => {
    expect(readFileSync(require.resolve(`${modulePath}.js`), 'utf8')).toContain('Patched (kafka-dlq-orders');
  });

  it('groups keyed, unkeyed and explicitly partitioned messages as kafkajs 2.2.4 does', () => {
    const random = seeded(7);
    for (let trial = 0; trial < 200; trial += 1) {
      const partitionMetadata = partitionsOf(1 + Math.floor(random() * 12));
      const messages: Message[] = Array.from({ length: Math.floor(random() * 300) }, (_, index) => {
        const pick = random();
        if (pick < 0.6) return { key: `o-${Math.floor(random() * 1e6)}`, value: `v${index}` };
        if (pick < 0.7) return { key: Buffer.from([index % 256, 7]), value: `v${index}` };
        if (pick < 0.85) return { key: null, value: `v${index}` };
        return { partition: Math.floor(random() * partitionMetadata.length), value: `v${index}` };
      });
      // Unkeyed messages go round robin: the same sequence needs a partitioner in the same state.
      const expected = original({
        topic: 't',
        partitionMetadata,
        messages,
        partitioner: roundRobinFrom(trial),
      });
      const actual = patched({ topic: 't', partitionMetadata, messages, partitioner: roundRobinFrom(trial) });
      expect(actual).toEqual(expected);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
    }
  });

  it('uses the Java client partition of every key (murmur2)', () => {
    const partitioner = Partitioners.DefaultPartitioner() as unknown as GroupArgs['partitioner'];
    const messages = Array.from({ length: 5_000 }, (_, index) => ({ key: `o-${index}`, value: 'v' }));
    const partitionMetadata = partitionsOf(6);

    const grouped = patched({ topic: 't', partitionMetadata, messages, partitioner });

    expect(grouped).toEqual(original({ topic: 't', partitionMetadata, messages, partitioner }));
    expect(Object.values(grouped).reduce((sum, list) => sum + list.length, 0)).toBe(messages.length);
  });

  it('gives nothing for a topic without partition metadata', () => {
    expect(
      patched({ topic: 't', partitionMetadata: [], messages: [{ value: 'v' }], partitioner: () => 0 }),
    ).toEqual({});
  });
});

/** kafkajs' DefaultPartitioner with its round-robin counter started at `start`, not at random. */
function roundRobinFrom(start: number): GroupArgs['partitioner'] {
  const keyed = Partitioners.DefaultPartitioner() as unknown as GroupArgs['partitioner'];
  let counter = start;
  return (args) => {
    const { message } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key !== undefined && message.key !== null) return keyed(args);
    counter += 1;
    return counter % (args.partitionMetadata as unknown[]).length;
  };
}
