import { describe, expect, it } from 'vitest';
import {
  NullValueError,
  OrderValidationError,
  UndecodableRecordError,
} from '../../../shared/domain/errors.js';
import { readOrderValue } from '../../../shared/domain/order-value.js';

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('readOrderValue', () => {
  it('gives a valid order back at once, not as a promise', () => {
    // Act
    const order = readOrderValue(bytes({ orderId: 'o-1', amount: 2 }));

    // Assess
    expect(order).toEqual({ orderId: 'o-1', amount: 2, currency: 'EUR' });
  });

  it("rejects an invalid order with zod's message", async () => {
    // Act
    const order = readOrderValue(bytes({ orderId: 'o-1', amount: -1 }));

    // Assess
    expect(order).toBeInstanceOf(Promise);
    await expect(order).rejects.toThrow(OrderValidationError);
    await expect(order).rejects.toThrow('invalid order: amount: Number must be greater than or equal to 0');
  });

  it.each([
    { label: 'null', value: null, error: NullValueError },
    { label: 'empty', value: Buffer.alloc(0), error: UndecodableRecordError },
    { label: 'not JSON', value: Buffer.from('{'), error: UndecodableRecordError },
  ])('throws at once for a value that is $label', ({ value, error }) => {
    // Act
    const act = () => readOrderValue(value);

    // Assess
    expect(act).toThrow(error);
  });
});
