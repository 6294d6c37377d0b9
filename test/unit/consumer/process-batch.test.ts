import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type BatchDependencies,
  type BatchOptions,
  processBatch,
} from '../../../shared/consumer/process-batch.js';
import { decodeFailureHeaders, FailureHeader } from '../../../shared/domain/failure-headers.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import { type ConsumedRecord, decodeKafkaEvent } from '../../../shared/domain/kafka-event.js';
import { readOrderValue } from '../../../shared/domain/order-value.js';
import { type ProcessingContext, processOrder } from '../../../shared/domain/process-order.js';
import { buildRedrive, RedriveTarget } from '../../../shared/domain/redrive.js';
import { FakeClock, RecordingLogger } from '../helpers/fakes.js';
import { EventFixture, loadEvent } from '../helpers/load-event.js';
import { consumedRecord, orderValue, policy, T0, topics } from '../helpers/records.js';

const setup = (overrides: Partial<BatchDependencies> = {}, now = T0) => {
  const clock = new FakeClock(now);
  const logger = new RecordingLogger();
  const publish = vi.fn(async (_messages: readonly OutboundMessage[]) => {});
  const deps: BatchDependencies = {
    processOrder: vi.fn(processOrder),
    policy,
    topics,
    publish,
    logger,
    clock,
    random: () => 0,
    ...overrides,
  };
  return { deps, clock, logger, publish };
};

const mainOptions: BatchOptions = { waitUntilDue: false, remainingTimeMs: () => 60_000, reserveMs: 5_000 };
const retryOptions: BatchOptions = { ...mainOptions, waitUntilDue: true };

/** Options whose remaining time runs down with the fake clock, as a Lambda context's does. */
const countdownOptions = (clock: FakeClock, remainingAtT0: number, reserveMs = 5_000): BatchOptions => ({
  waitUntilDue: true,
  remainingTimeMs: () => T0 + remainingAtT0 - clock.now(),
  reserveMs,
});

/** A record on the retry topic after one transient failure at T0, due `dueInMs` after T0. */
const retryRecord = async (dueInMs: number, offset = 100): Promise<ConsumedRecord> => {
  const { deps, publish } = setup({}, T0);
  const order = { orderId: `o-${offset}`, amount: 1, simulate: { transientFailures: 1 } };
  await processBatch(
    [consumedRecord({ key: Buffer.from(`o-${offset}`), value: orderValue(order) })],
    deps,
    mainOptions,
  );
  const message = publish.mock.calls[0]?.[0][0];
  if (message === undefined) throw new Error('expected a retry message');
  const headers = {
    ...message.headers,
    [FailureHeader.dueAt]: Buffer.from(String(T0 + dueInMs)),
  };
  return consumedRecord({ topic: topics.retry, offset, key: message.key, value: message.value, headers });
};

// A consumer loads zod on its first rejected order, which takes real time; the fake clock would read
// that wait as idle and move to the deadline. Loaded once here, it is a microtask away for every case.
beforeAll(async () => {
  await Promise.resolve(readOrderValue(orderValue({ orderId: 'o-0' }))).catch(() => undefined);
});

describe.each([16, 1])('processBatch at PROCESSING_CONCURRENCY=%i', (concurrency) => {
  // Every case holds at the default and at 1 (one record at a time, the behaviour before concurrency).
  const processAt = (...[records, deps, options]: Parameters<typeof processBatch>) =>
    processBatch(records, deps, { ...options, concurrency });

  it('counts processed, retried and dead-lettered records of the self-managed Kafka fixture', async () => {
    // Prepare
    const records = decodeKafkaEvent(loadEvent(EventFixture.selfManagedKafka));
    const { deps, publish } = setup();

    // Act
    const summary = await processAt(records, deps, mainOptions);

    // Assess
    expect(summary).toEqual({
      records: 3,
      processed: 1,
      retried: 1,
      deadLettered: 1,
      deferred: 0,
      deadLetteredByReason: { 'permanent-failure': 1 },
      published: 2,
    });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish.mock.calls[0]?.[0].map((m) => [m.topic, m.key?.toString()])).toEqual([
      [topics.retry, 'o-1002'],
      [topics.dlq, 'o-1003'],
    ]);
  });

  it('publishes every outbound message of a batch in one call, in record order', async () => {
    // Prepare
    const records = [
      consumedRecord({
        offset: 1,
        value: orderValue({ orderId: 'o-1', amount: 1, simulate: { transientFailures: 1 } }),
      }),
      consumedRecord({ offset: 2, value: null }),
      consumedRecord({ offset: 3, value: Buffer.from('not json') }),
      consumedRecord({ offset: 4, value: orderValue({ orderId: 'o-4', amount: -1 }) }),
      consumedRecord({ offset: 5 }),
    ];
    const { deps, publish } = setup();

    // Act
    const summary = await processAt(records, deps, mainOptions);

    // Assess
    expect(publish).toHaveBeenCalledTimes(1);
    const messages = publish.mock.calls[0]?.[0] ?? [];
    expect(messages.map((m) => [m.topic, decodeFailureHeaders(m.headers)?.origin.offset])).toEqual([
      [topics.retry, 1],
      [topics.dlq, 2],
      [topics.dlq, 3],
      [topics.dlq, 4],
    ]);
    expect(summary).toMatchObject({ processed: 1, retried: 1, deadLettered: 3, published: 4 });
    expect(summary.deadLetteredByReason).toEqual({ 'null-value': 1, undecodable: 1, 'invalid-order': 1 });
  });

  it('routes a null value from the fixture to the DLQ with its key', async () => {
    // Prepare
    const records = decodeKafkaEvent(loadEvent(EventFixture.nullValue));
    const { deps, publish } = setup();

    // Act
    await processAt(records, deps, mainOptions);

    // Assess
    const [message] = publish.mock.calls[0]?.[0] ?? [];
    expect(message?.topic).toBe(topics.dlq);
    expect(message?.value).toBeNull();
    expect(message?.key?.toString('utf8')).toBe('o-3001');
  });

  it('routes a non-JSON value from the fixture to the DLQ with its raw bytes', async () => {
    // Prepare
    const records = decodeKafkaEvent(loadEvent(EventFixture.nonJsonValue));
    const { deps, publish } = setup();

    // Act
    const summary = await processAt(records, deps, mainOptions);

    // Assess
    const [message] = publish.mock.calls[0]?.[0] ?? [];
    expect(message?.topic).toBe(topics.dlq);
    expect(message?.value?.equals(records[0]?.value ?? Buffer.alloc(0))).toBe(true);
    expect(summary.deadLetteredByReason).toEqual({ undecodable: 1 });
  });

  it('does not publish when every record is processed', async () => {
    // Prepare
    const records = decodeKafkaEvent(loadEvent(EventFixture.msk));
    const { deps, publish } = setup();

    // Act
    const summary = await processAt(records, deps, mainOptions);

    // Assess
    expect(publish).not.toHaveBeenCalled();
    expect(summary).toMatchObject({ records: 1, processed: 1, published: 0 });
  });

  it('fails the batch when the publish is rejected', async () => {
    // Prepare
    const records = [consumedRecord({ value: null })];
    const { deps } = setup({
      publish: vi.fn(async () => {
        throw new Error('NOT_ENOUGH_REPLICAS');
      }),
    });

    // Act
    const result = processAt(records, deps, mainOptions);

    // Assess
    await expect(result).rejects.toThrow('NOT_ENOUGH_REPLICAS');
  });

  it('passes the attempt number and the stable event id to processOrder', async () => {
    // Prepare
    const record = await retryRecord(0);
    const { deps } = setup();

    // Act
    await processAt([record], deps, retryOptions);

    // Assess
    expect(deps.processOrder).toHaveBeenCalledWith(
      expect.objectContaining({ orderId: 'o-100' }),
      expect.objectContaining({ attempt: 2, eventId: 'orders.v1:0:15' } satisfies ProcessingContext),
    );
  });

  it('dead-letters a record whose last attempt fails with attempts-exhausted', async () => {
    // Prepare
    const record = await retryRecord(0);
    const headers = {
      ...record.headers,
      [FailureHeader.attempt]: Buffer.from(String(policy.maxAttempts - 1)),
    };
    const { deps, publish } = setup({
      processOrder: vi.fn(async () => {
        throw new Error('ETIMEDOUT');
      }),
    });

    // Act
    const summary = await processAt([{ ...record, headers }], deps, retryOptions);

    // Assess
    expect(summary.deadLetteredByReason).toEqual({ 'attempts-exhausted': 1 });
    const [message] = publish.mock.calls[0]?.[0] ?? [];
    expect(message?.topic).toBe(topics.dlq);
    expect(message?.headers[FailureHeader.attempt]?.toString()).toBe(String(policy.maxAttempts));
  });

  it('never processes a record on the retry topic before its due time', async () => {
    // Prepare
    const record = await retryRecord(2_500);
    const dueAt = decodeFailureHeaders(record.headers)?.dueAt ?? Number.POSITIVE_INFINITY;
    const { deps, clock } = setup();
    const calledAt: number[] = [];
    const processOrderSpy = vi.fn(async () => {
      calledAt.push(clock.now());
    });

    // Act
    const summary = await processAt([record], { ...deps, processOrder: processOrderSpy }, retryOptions);

    // Assess
    expect(summary.processed).toBe(1);
    expect(calledAt).toHaveLength(1);
    expect(calledAt[0]).toBeGreaterThanOrEqual(dueAt);
    expect(clock.sleeps).toEqual([2_500]);
  });

  it('sleeps again when a timer fires early', async () => {
    // Prepare
    const record = await retryRecord(2_000);
    const clock = new FakeClock(T0, (ms) => Math.max(1, ms - 300));
    const calledAt: number[] = [];
    const { deps } = setup({
      clock,
      processOrder: vi.fn(async () => {
        calledAt.push(clock.now());
      }),
    });

    // Act
    await processAt([record], deps, retryOptions);

    // Assess
    expect(clock.sleeps.length).toBeGreaterThan(1);
    expect(calledAt[0]).toBeGreaterThanOrEqual(T0 + 2_000);
  });

  it('processes a record on the main topic at once, without waiting', async () => {
    // Prepare
    const record = await retryRecord(30_000);
    const { deps, clock } = setup();

    // Act
    const summary = await processAt([record], deps, mainOptions);

    // Assess
    expect(summary.processed).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits out its budget, then defers a record due later, unchanged to the retry topic', async () => {
    // Prepare
    const record = await retryRecord(10_000);
    const { deps, clock, publish } = setup();

    // Act
    const summary = await processAt([record], deps, countdownOptions(clock, 14_000));

    // Assess
    expect(summary).toMatchObject({ deferred: 1, processed: 0, retried: 0, deadLettered: 0, published: 1 });
    expect(deps.processOrder).not.toHaveBeenCalled();
    expect(clock.sleeps).toEqual([9_000]);
    const [message] = publish.mock.calls[0]?.[0] ?? [];
    expect(message).toEqual({
      topic: topics.retry,
      key: record.key,
      value: record.value,
      headers: record.headers,
    });
  });

  it('waits for a record due exactly at the remaining time minus the reserve', async () => {
    // Prepare
    const record = await retryRecord(9_000);
    const { deps, clock } = setup();
    const options: BatchOptions = { waitUntilDue: true, remainingTimeMs: () => 14_000, reserveMs: 5_000 };

    // Act
    const summary = await processAt([record], deps, options);

    // Assess
    expect(summary.processed).toBe(1);
    expect(clock.sleeps).toEqual([9_000]);
  });

  it('processes a record redriven to the retry topic at once', async () => {
    // Prepare
    const dlqSetup = setup();
    await processAt([consumedRecord({ value: null })], dlqSetup.deps, mainOptions);
    const dead = dlqSetup.publish.mock.calls[0]?.[0][0];
    if (dead === undefined) throw new Error('expected a DLQ message');
    const redrive = buildRedrive(
      consumedRecord({
        topic: topics.dlq,
        headers: dead.headers,
        value: orderValue({ orderId: 'o-1', amount: 1 }),
      }),
      RedriveTarget.retry,
      topics,
      T0,
    );
    const { deps, clock } = setup({}, T0 + 1);

    // Act
    const summary = await processAt(
      [consumedRecord({ topic: topics.retry, headers: redrive.headers, value: redrive.value })],
      deps,
      retryOptions,
    );

    // Assess
    expect(summary.processed).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(deps.processOrder).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ attempt: 1 }),
    );
  });

  it('passes the record fields on every per-record line', async () => {
    // Prepare
    const records = decodeKafkaEvent(loadEvent(EventFixture.selfManagedKafka));
    const { deps, logger } = setup();

    // Act
    await processAt(records, deps, mainOptions);

    // Assess
    const fields = logger.lines
      .map(({ keys }) => ({
        orderId: keys.orderId,
        topic: keys.topic,
        partition: keys.partition,
        offset: keys.offset,
        attempt: keys.attempt,
        eventId: keys.eventId,
      }))
      .sort((a, b) => String(a.eventId).localeCompare(String(b.eventId)));
    expect(fields).toEqual([
      {
        orderId: 'o-1001',
        topic: 'orders.v1',
        partition: 0,
        offset: 15,
        attempt: 1,
        eventId: 'orders.v1:0:15',
      },
      {
        orderId: 'o-1002',
        topic: 'orders.v1',
        partition: 0,
        offset: 16,
        attempt: 1,
        eventId: 'orders.v1:0:16',
      },
      {
        orderId: 'o-1003',
        topic: 'orders.v1',
        partition: 1,
        offset: 7,
        attempt: 1,
        eventId: 'orders.v1:1:7',
      },
    ]);
  });

  it('gives a deferred and a failed record each their own fields', async () => {
    // Prepare
    const deferred = await retryRecord(60_000, 100);
    const failing = consumedRecord({ topic: topics.retry, offset: 101, value: Buffer.from([0xff]) });
    const { deps, logger, clock } = setup();

    // Act
    await processAt([deferred, failing], deps, countdownOptions(clock, 30_000));

    // Assess
    const lines = logger.lines.map((l) => [l.message, l.keys.offset]);
    expect(lines.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['deferred', 100],
      ['dead-lettered', 101],
    ]);
  });

  it('never logs the raw value', async () => {
    // Prepare
    const secret = 'card=4111111111111111';
    const { deps, logger } = setup();

    // Act
    await processAt([consumedRecord({ value: Buffer.from(secret) })], deps, mainOptions);

    // Assess
    expect(logger.lines).toHaveLength(1);
    expect(JSON.stringify(logger.lines)).not.toContain('4111');
  });

  it('retries an order whose processing outlasts the invocation budget, and aborts its signal', async () => {
    // Prepare: 100 ms of budget, and a business step that never finishes
    let signal: AbortSignal | undefined;
    const { deps, publish } = setup({
      processOrder: vi.fn(async (_order, context: ProcessingContext) => {
        signal = context.signal;
        await new Promise(() => undefined);
      }),
    });
    const options: BatchOptions = { waitUntilDue: false, remainingTimeMs: () => 5_100, reserveMs: 5_000 };

    // Act
    const summary = await processAt([consumedRecord({})], deps, options);

    // Assess
    expect(summary).toMatchObject({ processed: 0, retried: 1 });
    expect(signal?.aborted).toBe(true);
    const [message] = publish.mock.calls[0]?.[0] ?? [];
    expect(message?.topic).toBe(topics.retry);
    expect(message?.headers[FailureHeader.errorClass]?.toString()).toBe('ProcessingTimeoutError');
  });

  it('retries, without calling the business step, a record reached after the budget is spent', async () => {
    // Prepare
    const { deps, publish } = setup();
    const options: BatchOptions = { waitUntilDue: false, remainingTimeMs: () => 4_000, reserveMs: 5_000 };

    // Act
    const summary = await processAt([consumedRecord({})], deps, options);

    // Assess
    expect(summary.retried).toBe(1);
    expect(deps.processOrder).not.toHaveBeenCalled();
    expect(publish.mock.calls[0]?.[0][0]?.headers[FailureHeader.errorClass]?.toString()).toBe(
      'ProcessingTimeoutError',
    );
  });

  it('caps a due time further out than the policy allows at the last failure plus the maximum delay', async () => {
    // Prepare: a header claiming a due time a day away
    const record = await retryRecord(24 * 3_600_000);
    const { deps, clock } = setup();

    // Act
    const summary = await processAt([record], deps, countdownOptions(clock, 300_000));

    // Assess
    expect(summary.processed).toBe(1);
    expect(clock.sleeps).toEqual([policy.maxDelayMs]);
  });
});
