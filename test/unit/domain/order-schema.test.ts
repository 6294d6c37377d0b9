import { describe, expect, it } from 'vitest';
import {
  NullValueError,
  OrderValidationError,
  UndecodableRecordError,
} from '../../../shared/domain/errors.js';
import { parseOrderValue, validateOrder } from '../../../shared/domain/order-schema.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('validateOrder', () => {
  it('accepts the minimal order and defaults the currency to EUR', () => {
    // Act
    const order = validateOrder({ orderId: 'o-1001', amount: 42.5 });

    // Assess
    expect(order).toEqual({ orderId: 'o-1001', amount: 42.5, currency: 'EUR' });
  });

  it('accepts a full order with simulate knobs', () => {
    // Prepare
    const input = {
      orderId: 'o-1002',
      amount: 10,
      currency: 'USD',
      customerId: 'c-7',
      items: [{ sku: 'SKU-1', quantity: 2 }],
      createdAt: '2025-06-01T10:00:00+02:00',
      simulate: { transientFailures: 2, permanentFailure: false },
    };

    // Act
    const order = validateOrder(input);

    // Assess
    expect(order).toEqual(input);
  });

  it.each([
    { label: 'a missing orderId', input: { amount: 1 }, message: 'orderId: Required' },
    {
      label: 'a string amount',
      input: { orderId: 'o-1', amount: '42' },
      message: 'amount: Expected number, received string',
    },
    {
      label: 'a negative amount',
      input: { orderId: 'o-1', amount: -1 },
      message: 'amount: Number must be greater than or equal to 0',
    },
    {
      label: 'an orderId with spaces',
      input: { orderId: 'o 1', amount: 1 },
      message: 'orderId: orderId may only contain letters, digits and . _ : -',
    },
    {
      label: 'a lower-case currency',
      input: { orderId: 'o-1', amount: 1, currency: 'eur' },
      message: 'currency: currency is an ISO 4217 code such as EUR',
    },
    {
      label: 'an item with zero quantity',
      input: { orderId: 'o-1', amount: 1, items: [{ sku: 'A', quantity: 0 }] },
      message: 'items.0.quantity: Number must be greater than 0',
    },
    {
      label: 'an unknown simulate knob',
      input: { orderId: 'o-1', amount: 1, simulate: { explode: true } },
      message: "simulate: Unrecognized key(s) in object: 'explode'",
    },
    { label: 'an array', input: [1, 2], message: '(root): Expected object, received array' },
  ])('rejects $label with a readable message', ({ input, message }) => {
    // Act
    const act = () => validateOrder(input);

    // Assess
    expect(act).toThrow(OrderValidationError);
    expect(act).toThrow(`invalid order: ${message}`);
  });

  it('joins several issues on one line and keeps them as the cause', () => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      validateOrder({ amount: 'x' });
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(OrderValidationError);
    const error = caught as OrderValidationError;
    expect(error.message).toBe('invalid order: orderId: Required; amount: Expected number, received string');
    expect(error.message).not.toContain('\n');
    expect(error.cause).toHaveLength(2);
  });

  it('lists at most five issues in the message', () => {
    // Prepare
    const items = Array.from({ length: 8 }, () => ({ sku: '', quantity: 1 }));

    // Act
    const act = () => validateOrder({ orderId: 'o-1', amount: 1, items });

    // Assess
    expect(act).toThrow(/^invalid order: (items\.[0-3]\.sku: [^;]+; ){4}items\.4\.sku: [^;]+$/);
  });
});

describe('parseOrderValue', () => {
  it('parses a valid JSON order', () => {
    // Act
    const order = parseOrderValue(bytes('{"orderId":"o-1001","amount":42.5}'));

    // Assess
    expect(order).toEqual({ orderId: 'o-1001', amount: 42.5, currency: 'EUR' });
  });

  it('throws NullValueError on a null value', () => {
    // Act
    const act = () => parseOrderValue(null);

    // Assess
    expect(act).toThrow(NullValueError);
  });

  it('throws UndecodableRecordError on an empty value', () => {
    // Act
    const act = () => parseOrderValue(new Uint8Array());

    // Assess
    expect(act).toThrow(UndecodableRecordError);
    expect(act).toThrow('record value is empty');
  });

  it('throws UndecodableRecordError on bytes that are not UTF-8', () => {
    // Act
    const act = () => parseOrderValue(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]));

    // Assess
    expect(act).toThrow(UndecodableRecordError);
    expect(act).toThrow('record value is not UTF-8 (4 bytes)');
  });

  it('throws UndecodableRecordError on text that is not JSON, without echoing the text', () => {
    // Prepare
    const secret = 'card=4111111111111111';

    // Act
    const act = () => parseOrderValue(bytes(secret));

    // Assess
    expect(act).toThrow(UndecodableRecordError);
    expect(act).toThrow(`record value is not JSON (${secret.length} bytes)`);
    expect(act).not.toThrow(/4111/);
  });

  it('throws OrderValidationError on JSON that is not an order', () => {
    // Act
    const act = () => parseOrderValue(bytes('{"orderId":"o-1"}'));

    // Assess
    expect(act).toThrow(OrderValidationError);
    expect(act).toThrow('invalid order: amount: Required');
  });
});
