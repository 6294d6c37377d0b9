import type { BatchSummary } from '../domain/batch-summary.js';
import { expectedFailure, ProcessingTimeoutError } from '../domain/errors.js';
import { decodeFailureHeaders, eventIdFor, type FailureState } from '../domain/failure-headers.js';
import { type OutboundMessage, routeFailure } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { readOrderValue } from '../domain/order-value.js';
import type { ProcessOrder } from '../domain/process-order.js';
import { defaultProcessingConcurrency } from '../domain/processing-concurrency.js';
import type { RetryPolicy } from '../domain/retry-policy.js';
import type { Topics } from '../domain/topics.js';
import { type BatchDeadline, deadlineReached, startBatchDeadline } from './batch-deadline.js';
import type { Clock } from './clock.js';
import { runKeyOrdered } from './key-ordered.js';

export type { BatchSummary } from '../domain/batch-summary.js';
export { defaultProcessingConcurrency } from '../domain/processing-concurrency.js';
export { type Clock, systemClock } from './clock.js';

/**
 * The slice of Powertools Logger the batch needs; structural, so tests can pass a recorder. The record
 * fields go with each call instead of being appended and removed per record, which cost about a tenth
 * of a batch even with the lines switched off.
 */
export interface BatchLogger {
  /** Powertools' numeric threshold (INFO 12, WARN 16, ERROR 20): lines below it are not even built. */
  readonly level: number;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** Powertools' `LogLevelThreshold` values for the two levels the batch writes. */
const LogLevel = { info: 12, warn: 16 } as const;

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
  /** Records of different keys processed at once (`PROCESSING_CONCURRENCY`); 1 is one at a time. */
  readonly concurrency?: number;
}

interface BatchRun {
  readonly deps: BatchDependencies;
  readonly deadline: BatchDeadline;
  readonly infoOn: boolean;
  readonly warnOn: boolean;
  /** One slot per record, so the outbound messages keep record order whatever order records finish in. */
  readonly outbound: (OutboundMessage | undefined)[];
  /** 1 where a retry record's due time lies past the batch's deadline: it is handed back, not processed. */
  readonly notDue: Uint8Array;
  readonly counts: { processed: number; retried: number; deadLettered: number; deferred: number };
  readonly byReason: Record<string, number>;
}

/** Records with the same key (or, keyless, the same partition) keep their relative order. */
const orderingKey = (record: ConsumedRecord): string =>
  record.key === null ? `\u0000${record.topic}-${record.partition}` : record.key.toString('utf8');

/**
 * Runs one Lambda batch: processes the records (the same key in offset order, different keys
 * concurrently), routes failures to the retry or DLQ topic, and publishes every re-routed record in one
 * acknowledged send at the end, in record order. If that send fails, this throws, so the event source
 * delivers the whole batch again: a failure may repeat work but never drops a record.
 */
export const processBatch = async (
  records: readonly ConsumedRecord[],
  deps: BatchDependencies,
  options: BatchOptions,
): Promise<BatchSummary> => {
  const level = deps.logger.level;
  const run: BatchRun = {
    deps,
    deadline: startBatchDeadline(deps.clock, () => options.remainingTimeMs() - options.reserveMs),
    infoOn: level <= LogLevel.info,
    warnOn: level <= LogLevel.warn,
    outbound: new Array(records.length),
    notDue: new Uint8Array(options.waitUntilDue ? records.length : 0),
    counts: { processed: 0, retried: 0, deadLettered: 0, deferred: 0 },
    byReason: {},
  };
  try {
    await runKeyOrdered(
      records,
      orderingKey,
      options.concurrency ?? defaultProcessingConcurrency,
      (record, index) => processRecord(run, record, index),
      options.waitUntilDue ? (record, index) => waitForDueTime(run, record, index) : undefined,
    );
  } finally {
    run.deadline.cancel();
  }
  const outbound = run.outbound.filter((message) => message !== undefined);
  if (outbound.length > 0) await deps.publish(outbound);
  return {
    records: records.length,
    ...run.counts,
    deadLetteredByReason: run.byReason,
    published: outbound.length,
  };
};

/** The fields of every per-record log line; built only when a line is written. */
const recordFields = (
  record: ConsumedRecord,
  attempt: number,
  eventId: string,
  orderId: string | undefined,
): Record<string, unknown> => ({
  orderId: orderId ?? record.key?.toString('utf8'),
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  attempt,
  eventId,
});

const processRecord = async (run: BatchRun, record: ConsumedRecord, index: number): Promise<void> => {
  const { deps, counts, deadline } = run;
  const previous = decodeFailureHeaders(record.headers);
  const attempt = (previous?.attempt ?? 0) + 1;
  // A record is its own origin (topic, partition, offset) the first time it fails.
  const eventId = previous?.eventId ?? eventIdFor(record);
  if (run.notDue[index] === 1 && previous?.dueAt !== undefined) {
    // Not due before this invocation must end: hand it back to the retry topic unchanged.
    run.outbound[index] = {
      topic: deps.topics.retry,
      key: record.key,
      value: record.value,
      headers: { ...record.headers },
    };
    counts.deferred += 1;
    if (run.infoOn)
      deps.logger.info('deferred', {
        ...recordFields(record, attempt, eventId, undefined),
        dueAt: dueTime(previous.dueAt, previous, deps.policy),
      });
    return;
  }
  let orderId: string | undefined;
  try {
    const read = readOrderValue(record.value);
    const order = read instanceof Promise ? await read : read;
    orderId = order.orderId;
    // The business step runs within what is left of the batch's budget. If the budget is spent (before
    // or during the step), the record fails transiently and goes to the retry topic, so a slow
    // dependency costs attempts instead of timing out the whole batch again and again.
    if (deadline.remainingMs() <= 0) {
      throw expectedFailure(
        ProcessingTimeoutError,
        'not processed: the invocation had no time left for this record',
      );
    }
    const timer = deadline.timer();
    const step = deps.processOrder(
      order,
      previous?.redrive
        ? { attempt, eventId, redriveCount: previous.redrive.count, signal: timer.signal }
        : { attempt, eventId, signal: timer.signal },
    );
    if ((await timer.race(step)) === deadlineReached) {
      throw expectedFailure(
        ProcessingTimeoutError,
        `processing did not finish within the invocation's budget of ${timer.budgetMs} ms`,
      );
    }
    counts.processed += 1;
    if (run.infoOn) deps.logger.info('processed', recordFields(record, attempt, eventId, orderId));
  } catch (error) {
    routeFailed(run, record, index, previous, error, () => recordFields(record, attempt, eventId, orderId));
  }
};

const routeFailed = (
  run: BatchRun,
  record: ConsumedRecord,
  index: number,
  previous: FailureState | undefined,
  error: unknown,
  fields: () => Record<string, unknown>,
): void => {
  const { deps, counts } = run;
  const routed = routeFailure({
    record,
    previous,
    error,
    policy: deps.policy,
    topics: deps.topics,
    now: deps.clock.now(),
    random: deps.random(),
  });
  run.outbound[index] = routed.message;
  const errorFields = { errorClass: routed.state.error.className, error: routed.state.error.message };
  if (routed.decision.action === 'retry') {
    counts.retried += 1;
    if (run.warnOn)
      deps.logger.warn('retry scheduled', { ...fields(), ...errorFields, dueAt: routed.decision.dueAt });
  } else {
    counts.deadLettered += 1;
    run.byReason[routed.decision.reason] = (run.byReason[routed.decision.reason] ?? 0) + 1;
    if (run.warnOn)
      deps.logger.warn('dead-lettered', { ...fields(), ...errorFields, reason: routed.decision.reason });
  }
};

/**
 * A due time is never further out than the policy's cap from the failure that set it, so a forged or
 * misconfigured header cannot park a record for good.
 */
const dueTime = (dueAt: number, previous: FailureState, policy: RetryPolicy): number =>
  Math.min(dueAt, previous.lastFailureAt + policy.maxDelayMs);

/**
 * The retry consumer's wait before a record is processed, outside the concurrency limit (see
 * `runKeyOrdered`): none for a record that is due, else until it is, or until the deadline, after
 * which the record is marked to be handed back.
 */
const waitForDueTime = (run: BatchRun, record: ConsumedRecord, index: number): Promise<void> | undefined => {
  const previous = decodeFailureHeaders(record.headers);
  if (previous?.dueAt === undefined) return undefined;
  const dueAt = dueTime(previous.dueAt, previous, run.deps.policy);
  if (dueAt <= run.deps.clock.now()) return undefined;
  return waitUntilDue(dueAt, run.deps.clock, run.deadline).then((due) => {
    if (!due) run.notDue[index] = 1;
  });
};

/**
 * Sleeps until `dueAt`, or until the batch's deadline, whichever comes first, and says whether the
 * record is due. Waiting out the budget before giving a record back keeps a record that is due later
 * to one hand-back per invocation, instead of a hot loop through the retry topic. Re-checks the clock
 * after waking, because a timer may fire a little early.
 */
const waitUntilDue = async (dueAt: number, clock: Clock, deadline: BatchDeadline): Promise<boolean> => {
  for (;;) {
    const wait = dueAt - clock.now();
    if (wait <= 0) return true;
    const budget = deadline.remainingMs();
    if (budget <= 0) return false;
    await clock.sleep(Math.min(wait, budget));
  }
};
