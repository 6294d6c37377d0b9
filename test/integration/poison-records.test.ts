import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { headerText, orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers);

// One key for every record, so they share a partition and a stalled partition would show.
const key = Buffer.from('poison-key');

const poison = [
  { name: 'non-JSON text', value: Buffer.from('definitely { not json'), reason: 'undecodable' },
  { name: 'an empty value', value: Buffer.alloc(0), reason: 'undecodable' },
  { name: 'a null value', value: null, reason: 'null-value' },
  {
    name: 'random binary',
    value: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), randomBytes(256)]),
    reason: 'undecodable',
  },
  {
    name: 'JSON that is not an order',
    value: Buffer.from('{"orderId":"o-bad","amount":"lots"}'),
    reason: 'invalid-order',
  },
  {
    name: 'a value near 1 MB',
    value: Buffer.from(
      JSON.stringify({ orderId: 'o-huge', amount: 1, padding: 'x'.repeat(1_000_000) }).replace(
        '"amount":1',
        '"amount":"1"',
      ),
    ),
    reason: 'invalid-order',
  },
] as const;

describe('poison records', () => {
  let pipeline: Pipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('routes every poison record to the DLQ with its raw bytes and keeps the partition moving', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });
    const healthy = { ...orderMessage('o-after-poison'), key };

    // Act
    await pipeline.produce([...poison.map(({ value }) => ({ key, value })), healthy]);
    const dead = await readTopic(kafka, {
      topic: pipeline.topics.dlq,
      count: poison.length,
      timeoutMs: 30_000,
    });
    await waitFor(() => pipeline?.processed.some((call) => call.orderId === 'o-after-poison'), {
      timeoutMs: 30_000,
      description: 'the healthy order behind the poison records',
    });

    // Assess
    expect(dead).toHaveLength(poison.length);
    const byOffset = [...dead].sort((a, b) => Number(a.offset) - Number(b.offset));
    poison.forEach((record, index) => {
      const message = byOffset[index];
      const headers = headerText(message?.headers);
      expect(headers[FailureHeader.deadLetterReason], record.name).toBe(record.reason);
      expect(headers[FailureHeader.errorKind], record.name).toBe('permanent');
      expect(headers[FailureHeader.attempt], record.name).toBe('1');
      expect(message?.key?.equals(key), record.name).toBe(true);
      if (record.value === null) expect(message?.value, record.name).toBeNull();
      else expect(message?.value?.equals(record.value), record.name).toBe(true);
    });
    expect(pipeline.calls.map((call) => call.orderId)).toEqual(['o-after-poison']);
  });

  it('keeps raw payload bytes out of the error message', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });
    const secret = 'card=4111111111111111';

    // Act
    await pipeline.produce([{ key, value: Buffer.from(`${secret} not json`) }]);
    const [dead] = await readTopic(kafka, { topic: pipeline.topics.dlq, count: 1, timeoutMs: 30_000 });

    // Assess
    const headers = headerText(dead?.headers);
    expect(headers[FailureHeader.errorMessage]).toMatch(/not JSON/);
    expect(JSON.stringify(headers)).not.toContain(secret);
  });

  it('dead-letters a batch of large failures that together exceed the broker limit, in chunks', async () => {
    // Prepare: four ~600 KB orders with one key land in one partition: 2.4 MB of re-publishes in one batch
    pipeline = await startPipeline({ brokers });
    const padding = 'p'.repeat(600_000);
    const orders = [1, 2, 3, 4].map((n) => ({
      key,
      value: Buffer.from(
        JSON.stringify({ orderId: `o-large-${n}`, amount: 1, padding, simulate: { permanentFailure: true } }),
      ),
    }));

    // Act
    await pipeline.produce(orders);
    const dead = await readTopic(kafka, {
      topic: pipeline.topics.dlq,
      count: orders.length,
      timeoutMs: 60_000,
    });

    // Assess
    expect(dead).toHaveLength(orders.length);
    const sorted = [...dead].sort((a, b) => Number(a.offset) - Number(b.offset));
    sorted.forEach((message, index) => {
      expect(message.value?.equals(orders[index]?.value ?? Buffer.alloc(0))).toBe(true);
    });
  });
});
