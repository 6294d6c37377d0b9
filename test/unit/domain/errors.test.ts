import { describe, expect, it } from 'vitest';
import {
  DeadLetterReason,
  deadLetterReasonOf,
  ErrorCode,
  ErrorKind,
  errorKindOf,
  expectedFailure,
  InvalidLambdaEventError,
  isRetryable,
  NullValueError,
  OrderEventError,
  OrderValidationError,
  PermanentProcessingError,
  PipelineError,
  ProcessingTimeoutError,
  RedriveError,
  TransientProcessingError,
  toError,
  UndecodableRecordError,
} from '../../../shared/domain/errors.js';

describe('error classification', () => {
  it.each([
    { error: new TransientProcessingError('timeout'), name: 'TransientProcessingError', retryable: true },
    { error: new PermanentProcessingError('rejected'), name: 'PermanentProcessingError', retryable: false },
    { error: new OrderValidationError('invalid'), name: 'OrderValidationError', retryable: false },
    { error: new UndecodableRecordError('binary'), name: 'UndecodableRecordError', retryable: false },
    { error: new NullValueError(), name: 'NullValueError', retryable: false },
  ])('classifies $name as retryable=$retryable', ({ error, name, retryable }) => {
    // Act
    const result = isRetryable(error);

    // Assess
    expect(result).toBe(retryable);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(OrderEventError);
    expect(errorKindOf(error)).toBe(retryable ? ErrorKind.transient : ErrorKind.permanent);
  });

  it.each([
    { label: 'a TypeError', error: new TypeError('x is undefined') },
    { label: 'a plain Error', error: new Error('ECONNRESET') },
    { label: 'a thrown string', error: 'boom' },
    { label: 'undefined', error: undefined },
  ])('treats $label as transient', ({ error }) => {
    // Act
    const retryable = isRetryable(error);
    const kind = errorKindOf(error);

    // Assess
    expect(retryable).toBe(true);
    expect(kind).toBe(ErrorKind.transient);
  });

  it('forwards the cause to the base Error', () => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = new TransientProcessingError('payment service unavailable', { cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('payment service unavailable');
  });

  it('gives NullValueError a default message', () => {
    // Act
    const error = new NullValueError();

    // Assess
    expect(error.message).toBe('record value is null');
  });
});

describe('toError', () => {
  it('returns an Error unchanged', () => {
    // Prepare
    const error = new RangeError('out of range');

    // Act
    const result = toError(error);

    // Assess
    expect(result).toBe(error);
  });

  it('wraps a thrown string as the message', () => {
    // Act
    const result = toError('went wrong');

    // Assess
    expect(result).toBeInstanceOf(Error);
    expect(result.message).toBe('went wrong');
  });

  it('serialises a thrown object into the message', () => {
    // Act
    const result = toError({ code: 42 });

    // Assess
    expect(result.message).toBe('{"code":42}');
  });
});

describe('error codes and dead-letter reasons', () => {
  it.each([
    { error: new TransientProcessingError('t'), code: ErrorCode.transient, reason: undefined },
    { error: new ProcessingTimeoutError('t'), code: ErrorCode.timeout, reason: undefined },
    {
      error: new PermanentProcessingError('p'),
      code: ErrorCode.permanent,
      reason: DeadLetterReason.permanentFailure,
    },
    {
      error: new OrderValidationError('v'),
      code: ErrorCode.invalidOrder,
      reason: DeadLetterReason.invalidOrder,
    },
    {
      error: new UndecodableRecordError('u'),
      code: ErrorCode.undecodable,
      reason: DeadLetterReason.undecodable,
    },
    { error: new NullValueError(), code: ErrorCode.nullValue, reason: DeadLetterReason.nullValue },
  ])('gives $error.name the code $code and the reason $reason', ({ error, code, reason }) => {
    // Act
    const routedReason = deadLetterReasonOf(error);

    // Assess
    expect(error.code).toBe(code);
    expect(error.deadLetterReason).toBe(reason);
    expect(routedReason).toBe(reason ?? DeadLetterReason.permanentFailure);
    expect(error.kind).toBe(error.retryable ? ErrorKind.transient : ErrorKind.permanent);
  });

  it('gives every code to one class only', () => {
    // Prepare
    const codes = [
      new TransientProcessingError('x'),
      new ProcessingTimeoutError('x'),
      new PermanentProcessingError('x'),
      new OrderValidationError('x'),
      new UndecodableRecordError('x'),
      new NullValueError(),
      new InvalidLambdaEventError('x'),
      new RedriveError('x'),
    ].map((error) => error.code);

    // Assess
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes)).toEqual(new Set(Object.values(ErrorCode)));
  });

  it('makes the event and redrive errors pipeline errors that are not record failures', () => {
    // Act
    const errors = [new InvalidLambdaEventError('x'), new RedriveError('y')];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(PipelineError);
      expect(error).not.toBeInstanceOf(OrderEventError);
    }
  });

  it('routes an unknown error as a permanent-failure when it is not retryable', () => {
    // Act
    const reason = deadLetterReasonOf(new Error('boom'));

    // Assess
    expect(reason).toBe(DeadLetterReason.permanentFailure);
  });
});

describe('expectedFailure', () => {
  it('creates the class with its message and cause but no stack frames', () => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = expectedFailure(TransientProcessingError, 'payment timed out', { cause });

    // Assess
    expect(error).toBeInstanceOf(TransientProcessingError);
    expect(error.cause).toBe(cause);
    expect(error.stack).toBe('TransientProcessingError: payment timed out');
  });

  it('leaves stack capture on for every other error', () => {
    // Act
    expectedFailure(NullValueError, 'record value is null');
    const unknown = new Error('unexpected');

    // Assess
    expect(unknown.stack?.split('\n').length).toBeGreaterThan(1);
  });
});
