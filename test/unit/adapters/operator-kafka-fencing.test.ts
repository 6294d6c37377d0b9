import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isFencedError } from '../../../shared/adapters/operator-kafka.js';

describe('isFencedError', () => {
  it("knows a fenced ledger writer by kafkajs' protocol error, also when wrapped by the retrier", () => {
    // Prepare
    const fenced = new KafkaJSProtocolError({
      type: 'INVALID_PRODUCER_EPOCH',
      code: 47,
      retriable: false,
      message: 'Producer attempted an operation with an old epoch',
    } as unknown as Error);
    // kafkajs' retrier wraps a non-retriable error with it as the cause (its typings omit the option).
    const Wrapper = KafkaJSNonRetriableError as unknown as new (e: Error, options: { cause: Error }) => Error;
    const wrapped = new Wrapper(fenced, { cause: fenced });
    const unnamed = Object.assign(new Error('fenced'), { code: 90 });
    const other = new KafkaJSProtocolError({
      type: 'CONCURRENT_TRANSACTIONS',
      code: 51,
      retriable: true,
      message: 'busy',
    } as unknown as Error);

    // Act & Assess
    expect(isFencedError(fenced)).toBe(true);
    expect(isFencedError(wrapped)).toBe(true);
    expect(isFencedError(unnamed)).toBe(true);
    expect(isFencedError(other)).toBe(false);
    expect(isFencedError(new Error('timeout'))).toBe(false);
  });
});
