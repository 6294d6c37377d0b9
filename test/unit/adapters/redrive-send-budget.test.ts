import { describe, expect, it } from 'vitest';
import { RedriveSendBudget } from '../../../shared/adapters/operator-kafka.js';
import { ConsumerSendBudget, sendBudgetMs } from '../../../shared/adapters/producer.js';
import { DefaultIntentTiming } from '../../../shared/operator/intent-liveness.js';

describe('the redrive send budget', () => {
  it('counts every attempt timing out and the longest wait between them', () => {
    expect(sendBudgetMs({ requestTimeoutMs: 10_000, retries: 2, maxRetryTimeMs: 1_000 })).toBe(32_000);
    expect(sendBudgetMs({ requestTimeoutMs: 5_000, retries: 0, maxRetryTimeMs: 9_000 })).toBe(5_000);
  });

  it('ends a send started at its latest inside the window a resume on another host waits out', () => {
    // A resume waits sendWindowMs (plus clock skew) after an intent, then reads the targets once: a
    // request still running after that could append a record the resume then sends again.
    // No request or retry starts after sendStartMs (the patched kafkajs refuses it), and each ends within
    // its request timeout.
    const latestEnd = DefaultIntentTiming.sendStartMs + RedriveSendBudget.requestTimeoutMs;
    expect(latestEnd).toBeLessThan(DefaultIntentTiming.sendWindowMs);
  });

  it('is tighter than the consumers’, which ride out a broker restart instead', () => {
    expect(sendBudgetMs(RedriveSendBudget)).toBeLessThan(sendBudgetMs(ConsumerSendBudget));
    expect(sendBudgetMs(ConsumerSendBudget)).toBeGreaterThan(DefaultIntentTiming.sendWindowMs);
  });
});
