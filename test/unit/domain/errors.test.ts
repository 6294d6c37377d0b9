import { describe, expect, it } from 'vitest';
import {
  ErrorKind,
  errorKindOf,
  isRetryable,
  NullValueError,
  OrderEventError,
  OrderValidationError,
  PermanentProcessingError,
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
