/**
 * The one error hierarchy of the pipeline. Every class carries a stable `code`; a record failure
 * (`OrderEventError`) also says whether retrying can help and, when it cannot, its dead-letter reason,
 * so routing reads two fields instead of walking an `instanceof` ladder.
 *
 * Two families stay outside it on purpose, because they are answers to a person, not failures of a
 * record: the UI's HTTP `ApiError` (a response) and the operator console's `OperatorError` (a refused
 * request, with codes of its own, `ORD_OPS_*`, in `shared/operator/errors.ts`). Neither is ever routed
 * to the retry topic or the DLQ.
 */

/** Why a record went to the DLQ: the `x-dead-letter-reason` header and the metric dimension. */
export const DeadLetterReason = {
  nullValue: 'null-value',
  undecodable: 'undecodable',
  invalidOrder: 'invalid-order',
  permanentFailure: 'permanent-failure',
  attemptsExhausted: 'attempts-exhausted',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

/** Stable codes, for logs, alarms and callers that must not depend on class names or messages. */
export const ErrorCode = {
  transient: 'ORDERS_TRANSIENT',
  timeout: 'ORDERS_TIMEOUT',
  permanent: 'ORDERS_PERMANENT',
  invalidOrder: 'ORDERS_INVALID_ORDER',
  undecodable: 'ORDERS_UNDECODABLE',
  nullValue: 'ORDERS_NULL_VALUE',
  invalidEvent: 'ORDERS_INVALID_EVENT',
  redriveRejected: 'ORDERS_REDRIVE_REJECTED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorKind = { transient: 'transient', permanent: 'permanent' } as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/** The base of every error this code throws on purpose: a `name`, a `code`, and `{ cause }` forwarded. */
export abstract class PipelineError extends Error {
  abstract readonly code: ErrorCode;
}

/**
 * Runs `create` with stack capture switched off. A classified record failure is expected: its class,
 * code and message say everything, and capturing frames for each of them was a measurable part of a
 * batch with many failures. `stack` then holds only the `Name: message` line. Unknown errors, which
 * are the ones worth a stack, are not created here and keep theirs.
 */
export const withoutStackFrames = <T>(create: () => T): T => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
};

/** A record's processing failed. `retryable` is the one stored fact; `kind` is derived from it. */
export abstract class OrderEventError extends PipelineError {
  abstract readonly retryable: boolean;
  /** Set on permanent failures; a retryable one is dead-lettered only as `attempts-exhausted`. */
  abstract readonly deadLetterReason: DeadLetterReason | undefined;

  get kind(): ErrorKind {
    return this.retryable ? ErrorKind.transient : ErrorKind.permanent;
  }
}

/** A failure that may succeed later: a downstream timeout, a throttle, a lock. */
export class TransientProcessingError extends OrderEventError {
  readonly code = ErrorCode.transient;
  readonly retryable = true;
  readonly deadLetterReason = undefined;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientProcessingError';
  }
}

/**
 * The invocation ran out of time before this record's processing finished (or could start). Transient:
 * a later attempt gets a fresh invocation, and the attempt limit bounds how often that can happen.
 */
export class ProcessingTimeoutError extends OrderEventError {
  readonly code = ErrorCode.timeout;
  readonly retryable = true;
  readonly deadLetterReason = undefined;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProcessingTimeoutError';
  }
}

/** A failure that no retry can fix: the business rules reject the order. */
export class PermanentProcessingError extends OrderEventError {
  readonly code = ErrorCode.permanent;
  readonly retryable = false;
  readonly deadLetterReason = DeadLetterReason.permanentFailure;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentProcessingError';
  }
}

/** The value is JSON but does not satisfy the order schema; the schema issues are the `cause`. */
export class OrderValidationError extends OrderEventError {
  readonly code = ErrorCode.invalidOrder;
  readonly retryable = false;
  readonly deadLetterReason = DeadLetterReason.invalidOrder;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderValidationError';
  }
}

/** The value bytes are not UTF-8 JSON at all (binary, truncated, empty). */
export class UndecodableRecordError extends OrderEventError {
  readonly code = ErrorCode.undecodable;
  readonly retryable = false;
  readonly deadLetterReason = DeadLetterReason.undecodable;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UndecodableRecordError';
  }
}

/** The record has no value (a tombstone): there is no order to process. */
export class NullValueError extends OrderEventError {
  readonly code = ErrorCode.nullValue;
  readonly retryable = false;
  readonly deadLetterReason = DeadLetterReason.nullValue;
  constructor(message = 'record value is null', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NullValueError';
  }
}

/** The Lambda event is not a Kafka event at all: a wiring error, with no records to save. */
export class InvalidLambdaEventError extends PipelineError {
  readonly code = ErrorCode.invalidEvent;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidLambdaEventError';
  }
}

/** A DLQ record cannot be redriven (no failure headers, or an origin this pipeline does not consume). */
export class RedriveError extends PipelineError {
  readonly code = ErrorCode.redriveRejected;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedriveError';
  }
}

/** Constructors of the record failures, for `expectedFailure`. */
type OrderEventErrorClass<E extends OrderEventError> = new (message: string, options?: ErrorOptions) => E;

/**
 * Creates a classified record failure without capturing stack frames (see `withoutStackFrames`). The
 * pipeline's own expected failures (decoding, validation, time budget) are made this way; a business
 * step may use it too, or `new` when it wants the frames.
 */
export const expectedFailure = <E extends OrderEventError>(
  ErrorClass: OrderEventErrorClass<E>,
  message: string,
  options?: ErrorOptions,
): E => withoutStackFrames(() => new ErrorClass(message, options));

/**
 * Decides between retry and dead-letter. An error we do not know (a TypeError from a library, a
 * network reset) counts as transient on purpose: dead-lettering it would turn an outage into lost
 * work for an operator, while retrying costs only time and is bounded by the attempt limit.
 */
export const isRetryable = (err: unknown): boolean => (err instanceof OrderEventError ? err.retryable : true);

/** The kind the failure headers record; an unknown error is transient (see `isRetryable`). */
export const errorKindOf = (err: unknown): ErrorKind =>
  err instanceof OrderEventError ? err.kind : ErrorKind.transient;

/** Why a non-retryable error is permanent; an unclassified one is a `permanent-failure`. */
export const deadLetterReasonOf = (err: unknown): DeadLetterReason =>
  (err instanceof OrderEventError ? err.deadLetterReason : undefined) ?? DeadLetterReason.permanentFailure;

/** Normalises anything thrown into an Error so its class and message can be recorded. */
export const toError = (err: unknown): Error => {
  if (err instanceof Error) return err;
  if (typeof err === 'string') return new Error(err);
  try {
    return new Error(JSON.stringify(err) ?? String(err));
  } catch {
    // Circular structures and BigInts cannot be stringified; the routing must not fail on them.
    return new Error(String(err));
  }
};
