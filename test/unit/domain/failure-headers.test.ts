import { describe, expect, it } from 'vitest';
import {
  decodeFailureHeaders,
  encodeFailureHeaders,
  eventIdFor,
  FailureHeader,
  type FailureState,
  HeaderLimits,
  truncateUtf8,
  userHeaders,
} from '../../../shared/domain/failure-headers.js';
import { T0 } from '../helpers/records.js';

const state: FailureState = {
  eventId: 'orders.v1:0:15',
  origin: { topic: 'orders.v1', partition: 0, offset: 15, timestamp: T0 - 60_000 },
  attempt: 3,
  dueAt: T0 + 4_000,
  firstFailureAt: T0 - 10_000,
  lastFailureAt: T0,
  error: {
    kind: 'transient',
    className: 'TransientProcessingError',
    message: 'payment service timed out',
    stack:
      'TransientProcessingError: payment service timed out\n    at processOrder (process-order.ts:22:11)',
  },
};

const isWellFormedUtf8 = (text: string): boolean => {
  const bytes = Buffer.from(text, 'utf8');
  return !text.includes('\uFFFD') && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
};

describe('failure header codec', () => {
  it('round-trips a retry state', () => {
    // Act
    const decoded = decodeFailureHeaders(encodeFailureHeaders(state));

    // Assess
    expect(decoded).toEqual(state);
  });

  it('round-trips a dead-letter state with a redrive audit', () => {
    // Prepare
    const { dueAt: _dueAt, ...rest } = state;
    const deadLettered: FailureState = {
      ...rest,
      error: {
        kind: 'permanent',
        className: 'OrderValidationError',
        message: 'invalid order: amount: Required',
      },
      deadLetterReason: 'invalid-order',
      redrive: { count: 2, at: T0 - 5_000, from: 'orders.dlq:1:42' },
    };

    // Act
    const decoded = decodeFailureHeaders(encodeFailureHeaders(deadLettered));

    // Assess
    expect(decoded).toEqual(deadLettered);
  });

  it('writes the documented header names as UTF-8 text', () => {
    // Act
    const headers = encodeFailureHeaders(state);

    // Assess
    expect(headers[FailureHeader.eventId]?.toString('utf8')).toBe('orders.v1:0:15');
    expect(headers[FailureHeader.originTopic]?.toString('utf8')).toBe('orders.v1');
    expect(headers[FailureHeader.attempt]?.toString('utf8')).toBe('3');
    expect(headers[FailureHeader.dueAt]?.toString('utf8')).toBe(String(T0 + 4_000));
    expect(headers[FailureHeader.errorKind]?.toString('utf8')).toBe('transient');
    expect(headers).not.toHaveProperty(FailureHeader.deadLetterReason);
    expect(headers).not.toHaveProperty(FailureHeader.redriveCount);
  });

  it('returns undefined for a record without failure headers', () => {
    // Act
    const decoded = decodeFailureHeaders({ traceparent: Buffer.from('00-abc-01') });

    // Assess
    expect(decoded).toBeUndefined();
  });

  it.each([
    FailureHeader.eventId,
    FailureHeader.originTopic,
    FailureHeader.originPartition,
    FailureHeader.originOffset,
    FailureHeader.attempt,
  ])('returns undefined when the required header %s is missing', (name) => {
    // Prepare
    const { [name]: _removed, ...headers } = encodeFailureHeaders(state);

    // Act
    const decoded = decodeFailureHeaders(headers);

    // Assess
    expect(decoded).toBeUndefined();
  });

  it('returns undefined when the attempt is not an integer', () => {
    // Prepare
    const headers = { ...encodeFailureHeaders(state), [FailureHeader.attempt]: Buffer.from('3.5') };

    // Act
    const decoded = decodeFailureHeaders(headers);

    // Assess
    expect(decoded).toBeUndefined();
  });

  it('ignores a malformed due time instead of failing', () => {
    // Prepare
    const headers = { ...encodeFailureHeaders(state), [FailureHeader.dueAt]: Buffer.from('soon') };

    // Act
    const decoded = decodeFailureHeaders(headers);

    // Assess
    expect(decoded?.attempt).toBe(3);
    expect(decoded).not.toHaveProperty('dueAt');
  });
});

describe('header size bounds', () => {
  it.each([
    { label: 'ASCII', unit: 'x' },
    { label: '2-byte characters', unit: 'é' },
    { label: '3-byte characters', unit: '€' },
    { label: '4-byte characters', unit: '😀' },
    { label: 'mixed characters', unit: 'a€😀é' },
  ])('keeps message, stack and class within HeaderLimits for huge $label', ({ unit }) => {
    // Prepare
    const huge = unit.repeat(100_000);
    const big: FailureState = {
      ...state,
      error: { kind: 'transient', className: huge, message: huge, stack: huge },
    };

    // Act
    const headers = encodeFailureHeaders(big);

    // Assess
    const limits = [
      [FailureHeader.errorMessage, HeaderLimits.errorMessageBytes],
      [FailureHeader.errorStack, HeaderLimits.errorStackBytes],
      [FailureHeader.errorClass, HeaderLimits.errorClassBytes],
    ] as const;
    for (const [name, limit] of limits) {
      const value = headers[name];
      expect(value?.byteLength).toBeLessThanOrEqual(limit);
      expect(value?.byteLength).toBeGreaterThan(limit - 4 - Buffer.byteLength('…[truncated]'));
      expect(isWellFormedUtf8(value?.toString('utf8') ?? '')).toBe(true);
      expect(value?.toString('utf8')).toMatch(/…\[truncated\]$/);
    }
  });
});

describe('truncateUtf8', () => {
  it('returns text within the limit unchanged', () => {
    // Act
    const result = truncateUtf8('héllo', 6);

    // Assess
    expect(result).toBe('héllo');
  });

  it('cuts one byte over the limit and marks the cut', () => {
    // Prepare
    const text = 'a'.repeat(101);

    // Act
    const result = truncateUtf8(text, 100);

    // Assess
    expect(Buffer.byteLength(result)).toBe(100);
    expect(result).toBe(`${'a'.repeat(100 - Buffer.byteLength('…[truncated]'))}…[truncated]`);
  });

  it.each([20, 21, 22, 23, 24, 25])('never splits a 4-byte character with a limit of %i bytes', (limit) => {
    // Prepare
    const text = '😀'.repeat(20);

    // Act
    const result = truncateUtf8(text, limit);

    // Assess
    expect(Buffer.byteLength(result)).toBeLessThanOrEqual(limit);
    expect(isWellFormedUtf8(result)).toBe(true);
    expect(result.replace('…[truncated]', '')).toMatch(/^(😀)*$/u);
  });
});

describe('userHeaders', () => {
  it('keeps producer headers and drops every failure header', () => {
    // Prepare
    const headers = {
      ...encodeFailureHeaders(state),
      traceparent: Buffer.from('00-abc-01'),
      'content-type': Buffer.from('application/json'),
    };

    // Act
    const result = userHeaders(headers);

    // Assess
    expect(result).toEqual({
      traceparent: Buffer.from('00-abc-01'),
      'content-type': Buffer.from('application/json'),
    });
  });
});

describe('eventIdFor', () => {
  it('names a record by its first position in the log', () => {
    // Act
    const id = eventIdFor({ topic: 'orders.v1', partition: 2, offset: 99, timestamp: T0 });

    // Assess
    expect(id).toBe('orders.v1:2:99');
  });
});
