import { describe, expect, it, vi } from 'vitest';
import {
  type BatchDependencies,
  type BatchOptions,
  type Clock,
  defaultProcessingConcurrency,
  processBatch,
} from '../../../shared/consumer/process-batch.js';
import { TransientProcessingError } from '../../../shared/domain/errors.js';
import { decodeFailureHeaders, FailureHeader } from '../../../shared/domain/failure-headers.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import type { Order } from '../../../shared/domain/order-schema.js';
import type { ProcessOrder } from '../../../shared/domain/process-order.js';
import { FakeClock, RecordingLogger, VirtualClock } from '../helpers/fakes.js';
import { consumedRecord, orderValue, policy, T0, topics } from '../helpers/records.js';

const setup = (processOrder: ProcessOrder, clock: Clock = new FakeClock(T0)) => {
  const publish = vi.fn(async (_messages: readonly OutboundMessage[]) => {});
  const deps: BatchDependencies = {
    processOrder,
    policy,
    topics,
    publish,
    logger: new RecordingLogger(),
    clock,
    random: () => 0,
  };
  return { deps, publish, clock };
};

const options = (concurrency?: number): BatchOptions => ({
  waitUntilDue: false,
  remainingTimeMs: () => 60_000,
  reserveMs: 5_000,
  ...(concurrency === undefined ? {} : { concurrency }),
});

/** One record per entry, at consecutive offsets of partition 0; `key` is also the order id's prefix. */
const batch = (keys: readonly string[]): ConsumedRecord[] =>
  keys.map((key, index) =>
    consumedRecord({
      offset: 100 + index,
      key: Buffer.from(key),
      value: orderValue({ orderId: `${key}.${index}`, amount: 1 }),
    }),
  );

/**
 * A stand-in for an I/O wait: a few turns of the microtask queue, so other records get to run. Not a
 * macrotask: the fake clock reads an empty microtask queue as "idle" and moves to the deadline.
 */
const yieldOnce = async () => {
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
};

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

describe('processBatch with key-ordered concurrency', () => {
  it('defaults to 16 records in flight', () => {
    // Assess
    expect(defaultProcessingConcurrency).toBe(16);
  });

  it('processes the records of one key in offset order', async () => {
    // Prepare: earlier records take longer, so records left to race would finish in reverse order
    const keys = ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a'];
    const seen: string[] = [];
    const inFlightByKey = new Map<string, number>();
    let overlapWithinKey = false;
    const { deps } = setup(async (order: Order) => {
      const [key = '', index = '0'] = order.orderId.split('.');
      const inFlight = (inFlightByKey.get(key) ?? 0) + 1;
      inFlightByKey.set(key, inFlight);
      if (inFlight > 1) overlapWithinKey = true;
      for (let turn = 0; turn < keys.length - Number(index); turn += 1) await yieldOnce();
      seen.push(order.orderId);
      inFlightByKey.set(key, inFlight - 1);
    });

    // Act
    const summary = await processBatch(batch(keys), deps, options());

    // Assess
    expect(summary.processed).toBe(keys.length);
    for (const key of ['a', 'b', 'c']) {
      const offsets = seen.filter((id) => id.startsWith(`${key}.`)).map((id) => Number(id.split('.')[1]));
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
    }
    expect(overlapWithinKey).toBe(false);
  });

  it('never runs more records at once than the limit', async () => {
    // Prepare
    const keys = Array.from({ length: 50 }, (_, index) => `k${index}`);
    let inFlight = 0;
    let peak = 0;
    const { deps } = setup(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await yieldOnce();
      inFlight -= 1;
    });

    // Act
    await processBatch(batch(keys), deps, options(7));

    // Assess
    expect(peak).toBe(7);
  });

  it('lets other keys finish while one key is slow', async () => {
    // Prepare
    const keys = ['slow', 'a', 'b', 'slow', 'c', 'a'];
    const others = keys.filter((key) => key !== 'slow').length;
    const slow = deferred();
    const finished: string[] = [];
    const { deps } = setup(async (order: Order) => {
      if (order.orderId.startsWith('slow.')) await slow.promise;
      finished.push(order.orderId);
      if (finished.length === others) slow.resolve();
    });

    // Act
    const summary = await processBatch(batch(keys), deps, options(4));

    // Assess
    expect(summary.processed).toBe(keys.length);
    expect(finished.slice(0, others).sort()).toEqual(['a.1', 'a.5', 'b.2', 'c.4']);
    expect(finished.slice(others)).toEqual(['slow.0', 'slow.3']);
  });

  it('with concurrency 1, processes every record after the previous one finished, in record order', async () => {
    // Prepare
    const keys = ['a', 'b', 'b', 'a', 'c'];
    const events: string[] = [];
    const { deps } = setup(async (order: Order) => {
      events.push(`start ${order.orderId}`);
      await yieldOnce();
      events.push(`end ${order.orderId}`);
    });

    // Act
    await processBatch(batch(keys), deps, options(1));

    // Assess
    expect(events).toEqual(keys.flatMap((key, index) => [`start ${key}.${index}`, `end ${key}.${index}`]));
  });

  it('publishes the failures in record order, whatever order they finished in', async () => {
    // Prepare: the first record's key is slow, so its failure comes last
    const keys = ['slow', 'a', 'b', 'c'];
    const slow = deferred();
    let fastFailures = 0;
    const { deps, publish } = setup(async (order: Order) => {
      if (order.orderId.startsWith('slow.')) await slow.promise;
      else if (++fastFailures === 3) slow.resolve();
      throw new TransientProcessingError(`failed ${order.orderId}`);
    });

    // Act
    const summary = await processBatch(batch(keys), deps, options());

    // Assess
    expect(summary).toMatchObject({ retried: 4, published: 4 });
    expect(publish).toHaveBeenCalledTimes(1);
    const messages = publish.mock.calls[0]?.[0] ?? [];
    expect(messages.map((m) => decodeFailureHeaders(m.headers)?.origin.offset)).toEqual([100, 101, 102, 103]);
  });

  it('never processes a record on the retry topic before its due time, whatever the concurrency', async () => {
    // Prepare: three keys, due 3 s, 1 s and 2 s after T0
    const clock = new FakeClock(T0);
    const dueIn = [3_000, 1_000, 2_000];
    const records = dueIn.map((ms, index) =>
      consumedRecord({
        topic: topics.retry,
        offset: index,
        key: Buffer.from(`k${index}`),
        value: orderValue({ orderId: `k${index}`, amount: 1 }),
        headers: {
          [FailureHeader.eventId]: Buffer.from(`orders.v1:0:${index}`),
          [FailureHeader.originTopic]: Buffer.from('orders.v1'),
          [FailureHeader.originPartition]: Buffer.from('0'),
          [FailureHeader.originOffset]: Buffer.from(String(index)),
          [FailureHeader.attempt]: Buffer.from('1'),
          [FailureHeader.dueAt]: Buffer.from(String(T0 + ms)),
          [FailureHeader.lastFailureAt]: Buffer.from(String(T0)),
        },
      }),
    );
    const calledAt = new Map<string, number>();
    const { deps } = setup(async (order: Order) => {
      calledAt.set(order.orderId, clock.now());
    }, clock);

    // Act
    const summary = await processBatch(records, deps, { ...options(16), waitUntilDue: true });

    // Assess
    expect(summary.processed).toBe(3);
    dueIn.forEach((ms, index) => {
      expect(calledAt.get(`k${index}`)).toBeGreaterThanOrEqual(T0 + ms);
    });
  });

  it('lets a retry record that is due now run while records due later wait, their waits holding no slot', async () => {
    // Prepare: 5 s of budget, two slots, two keys due in a minute and one due now
    const clock = new VirtualClock(T0);
    const dueIn = [60_000, 60_000, 0];
    const records = dueIn.map((ms, index) =>
      consumedRecord({
        topic: topics.retry,
        offset: index,
        key: Buffer.from(`k${index}`),
        value: orderValue({ orderId: `k${index}`, amount: 1 }),
        headers: {
          [FailureHeader.eventId]: Buffer.from(`orders.v1:0:${index}`),
          [FailureHeader.originTopic]: Buffer.from('orders.v1'),
          [FailureHeader.originPartition]: Buffer.from('0'),
          [FailureHeader.originOffset]: Buffer.from(String(index)),
          [FailureHeader.attempt]: Buffer.from('1'),
          [FailureHeader.dueAt]: Buffer.from(String(T0 + ms)),
          [FailureHeader.lastFailureAt]: Buffer.from(String(T0)),
        },
      }),
    );
    const calledAt = new Map<string, number>();
    const { deps, publish } = setup(async (order: Order) => {
      calledAt.set(order.orderId, clock.now());
    }, clock);

    // Act
    const summary = await processBatch(records, deps, {
      ...options(2),
      waitUntilDue: true,
      remainingTimeMs: () => T0 + 10_000 - clock.now(),
    });

    // Assess: the due record ran at once; the two others went back unchanged at the deadline
    expect(summary).toMatchObject({ processed: 1, deferred: 2, retried: 0 });
    expect([...calledAt]).toEqual([['k2', T0]]);
    const messages = publish.mock.calls[0]?.[0] ?? [];
    expect(messages.map((m) => [m.topic, m.headers[FailureHeader.attempt]?.toString()])).toEqual([
      [topics.retry, '1'],
      [topics.retry, '1'],
    ]);
  });

  it('sets one timer for the batch and times out every record still running when it fires', async () => {
    // Prepare: 100 ms of budget and a business step that never finishes, for five keys
    const clock = new FakeClock(T0);
    const setTimer = vi.spyOn(clock, 'setTimer');
    const signals: AbortSignal[] = [];
    const { deps, publish } = setup(async (_order, context) => {
      if (context.signal) signals.push(context.signal);
      await new Promise(() => undefined);
    }, clock);

    // Act
    const summary = await processBatch(batch(['a', 'b', 'c', 'd', 'e']), deps, {
      ...options(16),
      remainingTimeMs: () => 5_100,
    });

    // Assess
    expect(setTimer).toHaveBeenCalledTimes(1);
    expect(summary).toMatchObject({ processed: 0, retried: 5 });
    expect(new Set(signals).size).toBe(1);
    expect(signals[0]?.aborted).toBe(true);
    const classes = (publish.mock.calls[0]?.[0] ?? []).map((m) =>
      m.headers[FailureHeader.errorClass]?.toString(),
    );
    expect(classes).toEqual(Array(5).fill('ProcessingTimeoutError'));
  });
});
