import { decodeFailureHeaders, eventIdFor } from '../domain/failure-headers.js';
import { type OutboundMessage, originOf, routeFailure } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { parseOrderValue } from '../domain/order-schema.js';
import type { ProcessOrder } from '../domain/process-order.js';
import type { RetryPolicy } from '../domain/retry-policy.js';
import type { Topics } from '../domain/topics.js';

/** The slice of Powertools Logger the batch needs; structural, so tests can pass a recorder. */
export interface BatchLogger {
  appendKeys(keys: Record<string, unknown>): void;
  removeKeys(keys: string[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface BatchDependencies {
  readonly processOrder: ProcessOrder;
  readonly policy: RetryPolicy;
  readonly topics: Topics;
  /** Sends every message and resolves only once the broker acknowledged all of them. */
  readonly publish: (messages: readonly OutboundMessage[]) => Promise<void>;
  readonly logger: BatchLogger;
  readonly clock: Clock;
  readonly random: () => number;
}

export interface BatchOptions {
  /** The retry consumer honours each record's due time; the main consumer has none to honour. */
  readonly waitUntilDue: boolean;
  readonly remainingTimeMs: () => number;
  /** Time kept back for the final publish, so the function never times out mid-send. */
  readonly reserveMs: number;
}

export const Outcome = {
  processed: 'processed',
  retried: 'retried',
  deadLettered: 'dead-lettered',
  deferred: 'deferred',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export interface BatchSummary {
  readonly records: number;
  readonly processed: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly deferred: number;
  readonly deadLetteredByReason: Readonly<Record<string, number>>;
  readonly published: number;
}

const recordKeys = ['orderId', 'topic', 'partition', 'offset', 'attempt', 'eventId'];

/**
 * Runs one Lambda batch: processes each record in offset order, routes failures to the retry or DLQ
 * topic, and publishes every re-routed record in one acknowledged send at the end. If that send
 * fails, this throws, so the event source delivers the whole batch again: a failure may repeat work
 * but never drops a record.
 */
export const processBatch = async (
  records: readonly ConsumedRecord[],
  deps: BatchDependencies,
  options: BatchOptions,
): Promise<BatchSummary> => {
  const outbound: OutboundMessage[] = [];
  const counts = { processed: 0, retried: 0, deadLettered: 0, deferred: 0 };
  const byReason: Record<string, number> = {};

  for (const record of records) {
    const previous = decodeFailureHeaders(record.headers);
    const attempt = (previous?.attempt ?? 0) + 1;
    const eventId = previous?.eventId ?? eventIdFor(originOf(record));
    deps.logger.appendKeys({
      orderId: record.key?.toString('utf8'),
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      attempt,
      eventId,
    });
    try {
      if (options.waitUntilDue && previous?.dueAt !== undefined) {
        const due = await waitUntilDue(previous.dueAt, deps.clock, options);
        if (!due) {
          // Not due before this invocation must end: hand it back to the retry topic unchanged.
          outbound.push({
            topic: deps.topics.retry,
            key: record.key,
            value: record.value,
            headers: { ...record.headers },
          });
          counts.deferred += 1;
          deps.logger.info('deferred', { dueAt: previous.dueAt });
          continue;
        }
      }
      try {
        const order = parseOrderValue(record.value);
        deps.logger.appendKeys({ orderId: order.orderId });
        await deps.processOrder(order, {
          attempt,
          eventId,
          ...(previous?.redrive ? { redriveCount: previous.redrive.count } : {}),
        });
        counts.processed += 1;
        deps.logger.info('processed');
      } catch (error) {
        const routed = routeFailure({
          record,
          previous,
          error,
          policy: deps.policy,
          topics: deps.topics,
          now: deps.clock.now(),
          random: deps.random(),
        });
        outbound.push(routed.message);
        const errorFields = { errorClass: routed.state.error.className, error: routed.state.error.message };
        if (routed.decision.action === 'retry') {
          counts.retried += 1;
          deps.logger.warn('retry scheduled', { ...errorFields, dueAt: routed.decision.dueAt });
        } else {
          counts.deadLettered += 1;
          byReason[routed.decision.reason] = (byReason[routed.decision.reason] ?? 0) + 1;
          deps.logger.warn('dead-lettered', { ...errorFields, reason: routed.decision.reason });
        }
      }
    } finally {
      deps.logger.removeKeys(recordKeys);
    }
  }

  if (outbound.length > 0) await deps.publish(outbound);
  return { records: records.length, ...counts, deadLetteredByReason: byReason, published: outbound.length };
};

/**
 * Sleeps until `dueAt`. Returns false, without sleeping, when that is later than this invocation can
 * wait. Re-checks the clock after waking, because a timer may fire a little early.
 */
const waitUntilDue = async (dueAt: number, clock: Clock, options: BatchOptions): Promise<boolean> => {
  for (;;) {
    const wait = dueAt - clock.now();
    if (wait <= 0) return true;
    if (wait > options.remainingTimeMs() - options.reserveMs) return false;
    await clock.sleep(wait);
  }
};
