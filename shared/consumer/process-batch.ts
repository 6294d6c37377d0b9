import { ProcessingTimeoutError } from '../domain/errors.js';
import { decodeFailureHeaders, eventIdFor } from '../domain/failure-headers.js';
import { type OutboundMessage, originOf, routeFailure } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { type Order, parseOrderValue } from '../domain/order-schema.js';
import type { ProcessingContext, ProcessOrder } from '../domain/process-order.js';
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
        // A due time is never further out than the policy's cap from the failure that set it, so a
        // forged or misconfigured header cannot park a record for good.
        const dueAt = Math.min(previous.dueAt, previous.lastFailureAt + deps.policy.maxDelayMs);
        const due = await waitUntilDue(dueAt, deps.clock, options);
        if (!due) {
          // Not due before this invocation must end: hand it back to the retry topic unchanged.
          outbound.push({
            topic: deps.topics.retry,
            key: record.key,
            value: record.value,
            headers: { ...record.headers },
          });
          counts.deferred += 1;
          deps.logger.info('deferred', { dueAt });
          continue;
        }
      }
      try {
        const order = parseOrderValue(record.value);
        deps.logger.appendKeys({ orderId: order.orderId });
        await processWithinBudget(deps, options, order, {
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
 * Sleeps until `dueAt`, or until the invocation's budget is spent, whichever comes first, and says
 * whether the record is due. Waiting out the budget before giving a record back keeps a record that
 * is due later to one hand-back per invocation, instead of a hot loop through the retry topic.
 * Re-checks the clock after waking, because a timer may fire a little early.
 */
const waitUntilDue = async (dueAt: number, clock: Clock, options: BatchOptions): Promise<boolean> => {
  for (;;) {
    const wait = dueAt - clock.now();
    if (wait <= 0) return true;
    const budget = options.remainingTimeMs() - options.reserveMs;
    if (budget <= 0) return false;
    await clock.sleep(Math.min(wait, budget));
  }
};

/**
 * Runs the business step within what is left of the invocation, minus the reserve for the final send.
 * If the budget is spent (before or during the step), the record fails transiently and goes to the retry
 * topic, so a slow dependency costs attempts instead of timing out the whole batch again and again.
 */
const processWithinBudget = async (
  deps: BatchDependencies,
  options: BatchOptions,
  order: Order,
  context: Omit<ProcessingContext, 'signal'>,
): Promise<void> => {
  const budgetMs = options.remainingTimeMs() - options.reserveMs;
  if (budgetMs <= 0) {
    throw new ProcessingTimeoutError('not processed: the invocation had no time left for this record');
  }
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ProcessingTimeoutError(
          `processing did not finish within the invocation's budget of ${budgetMs} ms`,
        ),
      );
    }, budgetMs);
  });
  try {
    await Promise.race([deps.processOrder(order, { ...context, signal: controller.signal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
