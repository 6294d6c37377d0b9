import { afterEach, describe, expect, inject, it } from 'vitest';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { headerText, orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers);

const endOffsetSum = async (topic: string): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
};

describe('order routing through both consumers', () => {
  let pipeline: Pipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('processes valid orders once and re-publishes nothing', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });
    const ids = ['o-1001', 'o-1002', 'o-1003', 'o-1004', 'o-1005'];

    // Act
    await pipeline.produce(ids.map((id) => orderMessage(id)));
    await waitFor(() => pipeline?.processed.length === ids.length, {
      timeoutMs: 30_000,
      description: '5 processed',
    });

    // Assess
    expect(pipeline.processed.map((call) => call.orderId).sort()).toEqual(ids);
    expect(pipeline.processed.every((call) => call.attempt === 1)).toBe(true);
    expect(await endOffsetSum(pipeline.topics.retry)).toBe(0);
    expect(await endOffsetSum(pipeline.topics.dlq)).toBe(0);
  });

  it('succeeds on attempt 3 after two transient failures, through the retry topic', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });

    // Act
    await pipeline.produce([orderMessage('o-transient', { simulate: { transientFailures: 2 } })]);
    const done = await waitFor(() => pipeline?.processed.find((call) => call.orderId === 'o-transient'), {
      timeoutMs: 30_000,
      description: 'o-transient processed',
    });

    // Assess
    expect(done.attempt).toBe(3);
    const retries = await readTopic(kafka, { topic: pipeline.topics.retry, count: 2, timeoutMs: 10_000 });
    expect(retries.map((message) => headerText(message.headers)[FailureHeader.attempt]).sort()).toEqual([
      '1',
      '2',
    ]);
    expect(retries.every((message) => message.key?.toString() === 'o-transient')).toBe(true);
    expect(new Set(retries.map((message) => headerText(message.headers)[FailureHeader.eventId])).size).toBe(
      1,
    );
    expect(await endOffsetSum(pipeline.topics.dlq)).toBe(0);
  });

  it('dead-letters an order whose retries run out, with every failure header', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });
    const message = orderMessage('o-exhausted', { simulate: { transientFailures: 99 } });

    // Act
    await pipeline.produce([message]);
    const [dead] = await readTopic(kafka, { topic: pipeline.topics.dlq, count: 1, timeoutMs: 30_000 });

    // Assess
    expect(dead).toBeDefined();
    expect(dead?.key?.toString()).toBe('o-exhausted');
    expect(dead?.value?.equals(message.value)).toBe(true);
    const headers = headerText(dead?.headers);
    expect(headers).toMatchObject({
      [FailureHeader.originTopic]: pipeline.topics.orders,
      [FailureHeader.attempt]: '3',
      [FailureHeader.errorKind]: 'transient',
      [FailureHeader.errorClass]: 'TransientProcessingError',
      [FailureHeader.deadLetterReason]: 'attempts-exhausted',
    });
    expect(headers[FailureHeader.eventId]).toMatch(new RegExp(`^${pipeline.topics.orders}:\\d+:0$`));
    expect(headers[FailureHeader.originPartition]).toMatch(/^\d+$/);
    expect(headers[FailureHeader.originOffset]).toBe('0');
    expect(Number(headers[FailureHeader.originTimestamp])).toBeGreaterThan(0);
    expect(Number(headers[FailureHeader.firstFailureAt])).toBeLessThan(
      Number(headers[FailureHeader.lastFailureAt]),
    );
    expect(headers[FailureHeader.errorMessage]).toContain('attempt 3');
    expect(headers[FailureHeader.errorStack]).toContain('TransientProcessingError');
    expect(pipeline.calls.filter((call) => call.orderId === 'o-exhausted')).toHaveLength(3);
  });

  it('dead-letters a permanent failure at once, without a retry', async () => {
    // Prepare
    pipeline = await startPipeline({ brokers });

    // Act
    await pipeline.produce([orderMessage('o-permanent', { simulate: { permanentFailure: true } })]);
    const [dead] = await readTopic(kafka, { topic: pipeline.topics.dlq, count: 1, timeoutMs: 30_000 });

    // Assess
    const headers = headerText(dead?.headers);
    expect(headers[FailureHeader.attempt]).toBe('1');
    expect(headers[FailureHeader.errorKind]).toBe('permanent');
    expect(headers[FailureHeader.deadLetterReason]).toBe('permanent-failure');
    expect(headers[FailureHeader.dueAt]).toBeUndefined();
    expect(await endOffsetSum(pipeline.topics.retry)).toBe(0);
  });

  it('never retries a record before its due time', async () => {
    // Prepare: delays long enough that an early retry would show clearly
    pipeline = await startPipeline({
      brokers,
      env: { RETRY_MAX_ATTEMPTS: '4', RETRY_BASE_DELAY_MS: '400', RETRY_MAX_DELAY_MS: '1500' },
    });
    const ids = ['o-due-1', 'o-due-2', 'o-due-3', 'o-due-4'];

    // Act
    await pipeline.produce(ids.map((id) => orderMessage(id, { simulate: { transientFailures: 3 } })));
    await waitFor(() => pipeline?.processed.length === ids.length, {
      timeoutMs: 60_000,
      description: '4 processed',
    });
    const retries = await readTopic(kafka, { topic: pipeline.topics.retry, count: 12, timeoutMs: 10_000 });

    // Assess: attempt N + 1 starts no earlier than the due time written when attempt N failed
    expect(retries).toHaveLength(12);
    for (const retry of retries) {
      const headers = headerText(retry.headers);
      const orderId = retry.key?.toString();
      const nextAttempt = Number(headers[FailureHeader.attempt]) + 1;
      const call = pipeline.calls.find((c) => c.orderId === orderId && c.attempt === nextAttempt);
      expect(call, `${orderId} attempt ${nextAttempt}`).toBeDefined();
      expect(call?.at).toBeGreaterThanOrEqual(Number(headers[FailureHeader.dueAt]));
    }
  });
});
