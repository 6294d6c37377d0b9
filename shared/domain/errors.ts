/**
 * One error hierarchy for the whole pipeline. A subclass says whether retrying can help; `isRetryable`
 * is the single place that turns an error into "retry" or "dead-letter".
 */
export abstract class OrderEventError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderEventError';
  }
}

/** A failure that may succeed later: a downstream timeout, a throttle, a lock. */
export class TransientProcessingError extends OrderEventError {
  readonly retryable = true;
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
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProcessingTimeoutError';
  }
}

/** A failure that no retry can fix: the business rules reject the order. */
export class PermanentProcessingError extends OrderEventError {
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentProcessingError';
  }
}

/** The value is JSON but does not satisfy the order schema; the schema issues are the `cause`. */
export class OrderValidationError extends OrderEventError {
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderValidationError';
  }
}

/** The value bytes are not UTF-8 JSON at all (binary, truncated, empty). */
export class UndecodableRecordError extends OrderEventError {
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UndecodableRecordError';
  }
}

/** The record has no value (a tombstone): there is no order to process. */
export class NullValueError extends OrderEventError {
  readonly retryable = false;
  constructor(message = 'record value is null', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NullValueError';
  }
}

export const ErrorKind = { transient: 'transient', permanent: 'permanent' } as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/**
 * Decides between retry and dead-letter. An error we do not know (a TypeError from a library, a
 * network reset) counts as transient on purpose: dead-lettering it would turn an outage into lost
 * work for an operator, while retrying costs only time and is bounded by the attempt limit.
 */
export const isRetryable = (err: unknown): boolean => (err instanceof OrderEventError ? err.retryable : true);

export const errorKindOf = (err: unknown): ErrorKind =>
  isRetryable(err) ? ErrorKind.transient : ErrorKind.permanent;

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
