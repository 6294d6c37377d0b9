import { deadLetterReasonOf, errorKindOf, isRetryable, toError } from './errors.js';
import {
  encodeFailureHeaders,
  eventIdFor,
  type FailureState,
  type RecordOrigin,
  userHeaders,
} from './failure-headers.js';
import type { ConsumedRecord } from './kafka-event.js';
import { decideRetry, type RetryDecision, type RetryPolicy } from './retry-policy.js';
import type { Topics } from './topics.js';

/** A record to re-publish. The key is always the original key, so a partition's order is kept. */
export interface OutboundMessage {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
}

// Each error class carries its reason; re-exported here, where routing's callers look for it.
export { deadLetterReasonOf } from './errors.js';

export const originOf = (record: ConsumedRecord): RecordOrigin => ({
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  timestamp: record.timestamp,
});

export interface FailureInput {
  readonly record: ConsumedRecord;
  /** The failure state the record arrived with, if it failed before. */
  readonly previous: FailureState | undefined;
  readonly error: unknown;
  readonly policy: RetryPolicy;
  readonly topics: Topics;
  readonly now: number;
  /** In [0, 1), for the backoff jitter. */
  readonly random: number;
}

export interface RoutedFailure {
  readonly decision: RetryDecision;
  readonly state: FailureState;
  readonly message: OutboundMessage;
}

/**
 * Builds the retry or DLQ record for a failed attempt. The first origin and the first failure time are
 * kept from `previous`; the error is always the latest one, so headers stay the same size.
 */
export const routeFailure = (input: FailureInput): RoutedFailure => {
  const { record, previous, now } = input;
  const error = toError(input.error);
  const failedAttempts = (previous?.attempt ?? 0) + 1;
  const decision = decideRetry(
    input.policy,
    {
      failedAttempts,
      retryable: isRetryable(input.error),
      permanentReason: deadLetterReasonOf(input.error),
      now,
      ...(previous?.dueAt === undefined ? {} : { previousDueAt: previous.dueAt }),
    },
    input.random,
  );
  const origin = previous?.origin ?? originOf(record);
  const state: FailureState = {
    eventId: previous?.eventId ?? eventIdFor(origin),
    origin,
    attempt: failedAttempts,
    ...(decision.action === 'retry' ? { dueAt: decision.dueAt } : {}),
    firstFailureAt: previous?.firstFailureAt || now,
    lastFailureAt: now,
    error: {
      kind: errorKindOf(input.error),
      className: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    },
    ...(decision.action === 'dead-letter' ? { deadLetterReason: decision.reason } : {}),
    ...(previous?.redrive === undefined ? {} : { redrive: previous.redrive }),
  };
  return {
    decision,
    state,
    message: {
      topic: decision.action === 'retry' ? input.topics.retry : input.topics.dlq,
      key: record.key,
      value: record.value,
      headers: { ...userHeaders(record.headers), ...encodeFailureHeaders(state) },
    },
  };
};
