import { describe, expect, it } from 'vitest';
import {
  NullValueError,
  OrderValidationError,
  PermanentProcessingError,
  TransientProcessingError,
  UndecodableRecordError,
} from '../../../shared/domain/errors.js';
import { decodeFailureHeaders, FailureHeader, HeaderLimits } from '../../../shared/domain/failure-headers.js';
import {
  deadLetterReasonOf,
  type FailureInput,
  routeFailure,
} from '../../../shared/domain/failure-routing.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { DeadLetterReason } from '../../../shared/domain/retry-policy.js';
import { consumedRecord, headerBytes, policy, T0, topics } from '../helpers/records.js';

const input = (overrides: Partial<FailureInput> = {}): FailureInput => ({
  record: consumedRecord(),
  previous: undefined,
  error: new TransientProcessingError('payment service timed out'),
  policy,
  topics,
  now: T0,
  random: 0,
  ...overrides,
});

/** Upper bound, in bytes, of the failure headers: names and fixed-size values, plus the free-text limits. */
const headerBudget =
  600 + HeaderLimits.errorMessageBytes + HeaderLimits.errorStackBytes + HeaderLimits.errorClassBytes;

const text = (headers: Record<string, Buffer>, name: string): string | undefined =>
  headers[name]?.toString('utf8');

describe('routeFailure', () => {
  it('sends a first transient failure to the retry topic with attempt 1 and a due time', () => {
    // Act
    const routed = routeFailure(input());

    // Assess
    expect(routed.decision).toEqual({ action: 'retry', failedAttempts: 1, dueAt: T0 + 500 });
    expect(routed.message.topic).toBe(topics.retry);
    const { headers } = routed.message;
    expect(text(headers, FailureHeader.eventId)).toBe('orders.v1:0:15');
    expect(text(headers, FailureHeader.originTopic)).toBe('orders.v1');
    expect(text(headers, FailureHeader.originPartition)).toBe('0');
    expect(text(headers, FailureHeader.originOffset)).toBe('15');
    expect(text(headers, FailureHeader.originTimestamp)).toBe(String(T0 - 60_000));
    expect(text(headers, FailureHeader.attempt)).toBe('1');
    expect(text(headers, FailureHeader.dueAt)).toBe(String(T0 + 500));
    expect(text(headers, FailureHeader.firstFailureAt)).toBe(String(T0));
    expect(text(headers, FailureHeader.lastFailureAt)).toBe(String(T0));
    expect(text(headers, FailureHeader.errorKind)).toBe('transient');
    expect(text(headers, FailureHeader.errorClass)).toBe('TransientProcessingError');
    expect(text(headers, FailureHeader.errorMessage)).toBe('payment service timed out');
    expect(text(headers, FailureHeader.errorStack)).toMatch(
      /^TransientProcessingError: payment service timed out/,
    );
    expect(headers).not.toHaveProperty(FailureHeader.deadLetterReason);
  });

  it('keeps the key and the raw value bytes', () => {
    // Prepare
    const raw = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b]);
    const record = consumedRecord({ key: Buffer.from('o-9'), value: raw });

    // Act
    const routed = routeFailure(input({ record, error: new UndecodableRecordError('not UTF-8') }));

    // Assess
    expect(routed.message.key?.equals(Buffer.from('o-9'))).toBe(true);
    expect(routed.message.value?.equals(raw)).toBe(true);
  });

  it('routes a null value to the DLQ with a null value and its key', () => {
    // Prepare
    const record = consumedRecord({ value: null });

    // Act
    const routed = routeFailure(input({ record, error: new NullValueError() }));

    // Assess
    expect(routed.message.topic).toBe(topics.dlq);
    expect(routed.message.value).toBeNull();
    expect(routed.message.key?.toString('utf8')).toBe('o-1001');
    expect(text(routed.message.headers, FailureHeader.deadLetterReason)).toBe(DeadLetterReason.nullValue);
  });

  it.each([
    { error: new NullValueError(), reason: DeadLetterReason.nullValue },
    { error: new UndecodableRecordError('binary'), reason: DeadLetterReason.undecodable },
    { error: new OrderValidationError('invalid order'), reason: DeadLetterReason.invalidOrder },
    { error: new PermanentProcessingError('rejected'), reason: DeadLetterReason.permanentFailure },
  ])('dead-letters $error.name at once with reason $reason', ({ error, reason }) => {
    // Act
    const routed = routeFailure(input({ error }));

    // Assess
    expect(routed.decision).toEqual({ action: 'dead-letter', failedAttempts: 1, reason });
    expect(routed.message.topic).toBe(topics.dlq);
    const { headers } = routed.message;
    expect(text(headers, FailureHeader.deadLetterReason)).toBe(reason);
    expect(text(headers, FailureHeader.errorKind)).toBe('permanent');
    expect(text(headers, FailureHeader.errorClass)).toBe(error.name);
    expect(headers).not.toHaveProperty(FailureHeader.dueAt);
  });

  it('retries an unknown error as transient', () => {
    // Act
    const routed = routeFailure(
      input({ error: new TypeError("Cannot read properties of undefined (reading 'id')") }),
    );

    // Assess
    expect(routed.decision.action).toBe('retry');
    expect(text(routed.message.headers, FailureHeader.errorClass)).toBe('TypeError');
    expect(text(routed.message.headers, FailureHeader.errorKind)).toBe('transient');
  });

  it('dead-letters with attempts-exhausted when the last attempt fails', () => {
    // Prepare
    const first = routeFailure(input());
    const previous = decodeFailureHeaders(first.message.headers);
    const lastPrevious = previous && { ...previous, attempt: policy.maxAttempts - 1 };

    // Act
    const routed = routeFailure(input({ previous: lastPrevious, now: T0 + 60_000 }));

    // Assess
    expect(routed.decision).toEqual({
      action: 'dead-letter',
      failedAttempts: policy.maxAttempts,
      reason: DeadLetterReason.attemptsExhausted,
    });
    expect(routed.message.topic).toBe(topics.dlq);
    expect(text(routed.message.headers, FailureHeader.attempt)).toBe(String(policy.maxAttempts));
  });

  it('carries user headers through and replaces the old failure headers', () => {
    // Prepare
    const record = consumedRecord({ headers: { traceparent: Buffer.from('00-abc-01') } });

    // Act
    const routed = routeFailure(input({ record }));

    // Assess
    expect(routed.message.headers.traceparent?.toString('utf8')).toBe('00-abc-01');
  });

  it('keeps header size stable across 20 repeated failures', () => {
    // Prepare
    const manyAttempts = { ...policy, maxAttempts: 1_000 };
    const hugeMessage = `downstream said: ${'€'.repeat(5_000)}`;
    let record: ConsumedRecord = consumedRecord({ headers: { traceparent: Buffer.from('00-abc-01') } });
    const sizes: number[] = [];
    let now = T0;
    let lastHeaders: Record<string, Buffer> = {};

    // Act
    for (let i = 1; i <= 20; i += 1) {
      const error = new TransientProcessingError(i === 20 ? 'the latest error' : hugeMessage);
      const routed = routeFailure(
        input({ record, previous: decodeFailureHeaders(record.headers), error, policy: manyAttempts, now }),
      );
      lastHeaders = routed.message.headers;
      sizes.push(headerBytes(lastHeaders));
      record = consumedRecord({
        topic: routed.message.topic,
        partition: 3,
        offset: 1_000 + i,
        timestamp: now,
        key: routed.message.key,
        value: routed.message.value,
        headers: routed.message.headers,
      });
      now += 70_000;
    }

    // Assess
    // Attempts 1..9 have one digit, 10..19 two; the 20th failure has a short message.
    expect(new Set(sizes.slice(0, 9)).size).toBe(1);
    expect(new Set(sizes.slice(9, 19)).size).toBe(1);
    expect((sizes[9] ?? 0) - (sizes[0] ?? 0)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThan(headerBudget);
    const state = decodeFailureHeaders(lastHeaders);
    expect(state?.eventId).toBe('orders.v1:0:15');
    expect(state?.origin).toEqual({ topic: 'orders.v1', partition: 0, offset: 15, timestamp: T0 - 60_000 });
    expect(state?.firstFailureAt).toBe(T0);
    expect(state?.lastFailureAt).toBe(T0 + 19 * 70_000);
    expect(state?.attempt).toBe(20);
    expect(state?.error.message).toBe('the latest error');
    expect(lastHeaders.traceparent?.toString('utf8')).toBe('00-abc-01');
  });

  it('never schedules a retry before the due time the record arrived with, even on a clock behind it', () => {
    // Prepare
    const first = routeFailure(input({ random: 0.999 }));
    const previous = decodeFailureHeaders(first.message.headers);
    const skewedNow = T0 - 10_000;

    // Act
    const routed = routeFailure(input({ previous, now: skewedNow, random: 0 }));

    // Assess
    expect(previous?.dueAt).toBe(T0 + 1_000);
    expect(routed.decision).toEqual({ action: 'retry', failedAttempts: 2, dueAt: T0 + 1_000 });
  });
});

describe('deadLetterReasonOf', () => {
  it('names an unknown error a permanent failure', () => {
    // Act
    const reason = deadLetterReasonOf(new Error('x'));

    // Assess
    expect(reason).toBe(DeadLetterReason.permanentFailure);
  });
});
