import { describe, expect, it } from 'vitest';
import { PermanentProcessingError, TransientProcessingError } from '../../../shared/domain/errors.js';
import { validateOrder } from '../../../shared/domain/order-schema.js';
import { processOrder } from '../../../shared/domain/process-order.js';

const context = (attempt: number) => ({ attempt, eventId: 'orders.v1:0:15' });

describe('processOrder', () => {
  it('accepts an order without knobs on the first attempt', async () => {
    // Prepare
    const order = validateOrder({ orderId: 'o-1', amount: 1 });

    // Act
    const result = processOrder(order, context(1));

    // Assess
    await expect(result).resolves.toBeUndefined();
  });

  it('fails transiently on attempts 1..N and succeeds on attempt N + 1', async () => {
    // Prepare
    const order = validateOrder({ orderId: 'o-2', amount: 1, simulate: { transientFailures: 3 } });

    // Act
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((attempt) => processOrder(order, context(attempt))),
    );

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const outcome of outcomes.slice(0, 3)) {
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(TransientProcessingError);
    }
  });

  it('says which attempt failed in the transient error', async () => {
    // Prepare
    const order = validateOrder({ orderId: 'o-3', amount: 1, simulate: { transientFailures: 2 } });

    // Act
    const result = processOrder(order, context(2));

    // Assess
    await expect(result).rejects.toThrow('order o-3 failed transiently on attempt 2 of 2 planned failures');
  });

  it.each([1, 2, 10])('fails permanently on attempt %i when permanentFailure is set', async (attempt) => {
    // Prepare
    const order = validateOrder({ orderId: 'o-4', amount: 1, simulate: { permanentFailure: true } });

    // Act
    const result = processOrder(order, context(attempt));

    // Assess
    await expect(result).rejects.toThrow(PermanentProcessingError);
  });

  it('prefers the permanent failure over planned transient ones', async () => {
    // Prepare
    const order = validateOrder({
      orderId: 'o-5',
      amount: 1,
      simulate: { transientFailures: 2, permanentFailure: true },
    });

    // Act
    const result = processOrder(order, context(1));

    // Assess
    await expect(result).rejects.toThrow('order o-5 is rejected (simulate.permanentFailure)');
  });

  it('fails permanently until the record is redriven, then succeeds (simulate.failUntilRedriven)', async () => {
    // Prepare
    const order = validateOrder({ orderId: 'o-6', amount: 1, simulate: { failUntilRedriven: true } });

    // Act
    const before = processOrder(order, context(1));
    const after = processOrder(order, { ...context(1), redriveCount: 1 });

    // Assess
    await expect(before).rejects.toThrow(PermanentProcessingError);
    await expect(after).resolves.toBeUndefined();
  });
});
