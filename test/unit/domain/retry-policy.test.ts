import { describe, expect, it } from 'vitest';
import {
  assertValidRetryPolicy,
  backoffDelayMs,
  DeadLetterReason,
  decideRetry,
  defaultRetryPolicy,
} from '../../../shared/domain/retry-policy.js';
import { policy, T0 } from '../helpers/records.js';

/** Just below 1: the largest value `Math.random()` can return is 1 - 2^-53. */
const almostOne = 1 - Number.EPSILON / 2;

describe('backoffDelayMs', () => {
  it('doubles the delay with each failed attempt', () => {
    // Act
    const delays = [1, 2, 3, 4, 5].map((failed) => backoffDelayMs(policy, failed, 0));

    // Assess
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });

  it('keeps half of the delay fixed and jitters the other half', () => {
    // Act
    const low = backoffDelayMs(policy, 3, 0);
    const middle = backoffDelayMs(policy, 3, 0.5);
    const high = backoffDelayMs(policy, 3, almostOne);

    // Assess
    expect(low).toBe(2_000);
    expect(middle).toBe(3_000);
    expect(high).toBe(4_000);
  });

  it.each([7, 8, 50, 1_024, 10_000])(
    'never exceeds maxDelayMs, jitter included, after %i failures',
    (failed) => {
      // Act
      const highest = backoffDelayMs(policy, failed, almostOne);
      const lowest = backoffDelayMs(policy, failed, 0);

      // Assess
      expect(highest).toBe(policy.maxDelayMs);
      expect(lowest).toBe(policy.maxDelayMs / 2);
    },
  );

  it('clamps a random value outside [0, 1]', () => {
    // Act
    const below = backoffDelayMs(policy, 2, -3);
    const above = backoffDelayMs(policy, 2, 7);

    // Assess
    expect(below).toBe(1_000);
    expect(above).toBe(2_000);
  });

  it('stays within [half, full] of the exponential delay for many random values', () => {
    // Prepare
    const randoms = Array.from({ length: 101 }, (_, i) => i / 100);

    // Act
    const delays = randoms.map((random) => backoffDelayMs(policy, 4, random));

    // Assess
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });
});

describe('decideRetry', () => {
  const transient = { retryable: true, permanentReason: DeadLetterReason.permanentFailure, now: T0 };

  it('schedules a retry at now plus the backoff', () => {
    // Act
    const decision = decideRetry(policy, { ...transient, failedAttempts: 2 }, 0);

    // Assess
    expect(decision).toEqual({ action: 'retry', failedAttempts: 2, dueAt: T0 + 1_000 });
  });

  it('never schedules a retry earlier than the previous due time', () => {
    // Prepare
    const previousDueAt = T0 + 30_000;

    // Act
    const decision = decideRetry(policy, { ...transient, failedAttempts: 1, previousDueAt }, 0);

    // Assess
    expect(decision).toEqual({ action: 'retry', failedAttempts: 1, dueAt: previousDueAt });
  });

  it('retries until the last attempt and dead-letters when maxAttempts attempts have failed', () => {
    // Act
    const beforeLast = decideRetry(policy, { ...transient, failedAttempts: policy.maxAttempts - 1 }, 0);
    const last = decideRetry(policy, { ...transient, failedAttempts: policy.maxAttempts }, 0);

    // Assess
    expect(beforeLast.action).toBe('retry');
    expect(last).toEqual({
      action: 'dead-letter',
      failedAttempts: policy.maxAttempts,
      reason: DeadLetterReason.attemptsExhausted,
    });
  });

  it('dead-letters at once when maxAttempts is 1', () => {
    // Act
    const decision = decideRetry({ ...policy, maxAttempts: 1 }, { ...transient, failedAttempts: 1 }, 0);

    // Assess
    expect(decision).toMatchObject({ action: 'dead-letter', reason: DeadLetterReason.attemptsExhausted });
  });

  it.each([
    DeadLetterReason.nullValue,
    DeadLetterReason.undecodable,
    DeadLetterReason.invalidOrder,
    DeadLetterReason.permanentFailure,
  ])('dead-letters a permanent error on the first attempt with reason %s', (reason) => {
    // Act
    const decision = decideRetry(
      policy,
      { failedAttempts: 1, retryable: false, permanentReason: reason, now: T0 },
      0,
    );

    // Assess
    expect(decision).toEqual({ action: 'dead-letter', failedAttempts: 1, reason });
  });
});

describe('assertValidRetryPolicy', () => {
  it('accepts the default policy', () => {
    // Act
    const result = assertValidRetryPolicy(defaultRetryPolicy);

    // Assess
    expect(result).toBe(defaultRetryPolicy);
  });

  it.each([
    {
      label: 'zero attempts',
      bad: { maxAttempts: 0 },
      message: 'maxAttempts must be an integer >= 1, got 0',
    },
    {
      label: 'fractional attempts',
      bad: { maxAttempts: 1.5 },
      message: 'maxAttempts must be an integer >= 1',
    },
    { label: 'a negative base delay', bad: { baseDelayMs: -1 }, message: 'baseDelayMs must be >= 0, got -1' },
    { label: 'a NaN base delay', bad: { baseDelayMs: Number.NaN }, message: 'baseDelayMs must be >= 0' },
    {
      label: 'a max delay below the base delay',
      bad: { baseDelayMs: 1_000, maxDelayMs: 500 },
      message: 'maxDelayMs (500) must be >= baseDelayMs (1000)',
    },
  ])('rejects $label', ({ bad, message }) => {
    // Act
    const act = () => assertValidRetryPolicy({ ...policy, ...bad });

    // Assess
    expect(act).toThrow(RangeError);
    expect(act).toThrow(message);
  });
});
