import { DeadLetterReason } from './errors.js';

export interface RetryPolicy {
  /** Processing attempts in total, the first one included. 1 means "never retry". */
  readonly maxAttempts: number;
  /** The delay before the first retry, before jitter. */
  readonly baseDelayMs: number;
  /** No delay ever exceeds this, jitter included. */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
} as const satisfies RetryPolicy;

/** Throws on a policy that cannot work, so a bad environment fails at cold start, not mid-batch. */
export const assertValidRetryPolicy = (policy: RetryPolicy): RetryPolicy => {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.baseDelayMs >= 0)) throw new RangeError(`baseDelayMs must be >= 0, got ${policy.baseDelayMs}`);
  if (!(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new RangeError(`maxDelayMs (${policy.maxDelayMs}) must be >= baseDelayMs (${policy.baseDelayMs})`);
  }
  return policy;
};

/**
 * The delay before retry number `failedAttempts` (1 after the first failure): exponential, capped,
 * with "equal jitter". Half of the delay is fixed and half is random, so retries of one burst spread
 * out but no retry comes back almost at once, as full jitter allows.
 * `random` is a value in [0, 1), injected so the policy stays deterministic in tests.
 */
export const backoffDelayMs = (policy: RetryPolicy, failedAttempts: number, random: number): number => {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2 ** 1024 is Infinity; Math.min keeps the cap exact for any attempt count.
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 1023));
  const half = exponential / 2;
  const clampedRandom = Math.min(Math.max(random, 0), 1);
  return Math.round(half + half * clampedRandom);
};

export type RetryDecision =
  | { readonly action: 'retry'; readonly failedAttempts: number; readonly dueAt: number }
  | { readonly action: 'dead-letter'; readonly failedAttempts: number; readonly reason: DeadLetterReason };

// Defined with the error classes that carry it; re-exported for the policy's callers.
export { DeadLetterReason } from './errors.js';

export interface FailureFacts {
  /** Attempts that have failed, this one included. */
  readonly failedAttempts: number;
  readonly retryable: boolean;
  /** Why a non-retryable error is permanent; ignored for retryable ones. */
  readonly permanentReason: DeadLetterReason;
  readonly now: number;
  /** The due time this attempt was scheduled for, if any: the next one is never earlier. */
  readonly previousDueAt?: number;
}

/** Chooses between another attempt on the retry topic and the dead-letter topic. */
export const decideRetry = (policy: RetryPolicy, facts: FailureFacts, random: number): RetryDecision => {
  if (!facts.retryable) {
    return { action: 'dead-letter', failedAttempts: facts.failedAttempts, reason: facts.permanentReason };
  }
  if (facts.failedAttempts >= policy.maxAttempts) {
    return {
      action: 'dead-letter',
      failedAttempts: facts.failedAttempts,
      reason: DeadLetterReason.attemptsExhausted,
    };
  }
  const dueAt = Math.max(
    facts.now + backoffDelayMs(policy, facts.failedAttempts, random),
    facts.previousDueAt ?? Number.NEGATIVE_INFINITY,
  );
  return { action: 'retry', failedAttempts: facts.failedAttempts, dueAt };
};
