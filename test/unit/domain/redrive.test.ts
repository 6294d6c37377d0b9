import { describe, expect, it } from 'vitest';
import { OrderValidationError, TransientProcessingError } from '../../../shared/domain/errors.js';
import { decodeFailureHeaders, FailureHeader } from '../../../shared/domain/failure-headers.js';
import { routeFailure } from '../../../shared/domain/failure-routing.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { buildRedrive, RedriveError, RedriveTarget } from '../../../shared/domain/redrive.js';
import { consumedRecord, policy, T0, topics } from '../helpers/records.js';

const REDRIVE_AT = T0 + 3_600_000;

/** A record on the DLQ as the pipeline writes it, after one permanent failure of an order from orders.v1. */
const deadLetteredRecord = (overrides: Partial<ConsumedRecord> = {}): ConsumedRecord => {
  const routed = routeFailure({
    record: consumedRecord({ headers: { traceparent: Buffer.from('00-abc-01') } }),
    previous: undefined,
    error: new OrderValidationError('invalid order: amount: Required'),
    policy,
    topics,
    now: T0,
    random: 0,
  });
  return consumedRecord({
    topic: topics.dlq,
    partition: 1,
    offset: 42,
    timestamp: T0,
    key: routed.message.key,
    value: routed.message.value,
    headers: routed.message.headers,
    ...overrides,
  });
};

describe('buildRedrive', () => {
  it('sends a DLQ record back to its origin topic with attempts reset and audit headers', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();

    // Act
    const message = buildRedrive(dlqRecord, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    expect(message.topic).toBe(topics.orders);
    expect(message.key?.equals(dlqRecord.key ?? Buffer.alloc(0))).toBe(true);
    expect(message.value?.equals(dlqRecord.value ?? Buffer.alloc(0))).toBe(true);
    const state = decodeFailureHeaders(message.headers);
    expect(state?.attempt).toBe(0);
    expect(state?.redrive).toEqual({ count: 1, at: REDRIVE_AT, from: 'orders.dlq:1:42' });
    expect(state).not.toHaveProperty('dueAt');
    expect(state).not.toHaveProperty('deadLetterReason');
    expect(message.headers).not.toHaveProperty(FailureHeader.deadLetterReason);
  });

  it('keeps the event id, origin and error history for the operator', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();

    // Act
    const message = buildRedrive(dlqRecord, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    const state = decodeFailureHeaders(message.headers);
    expect(state?.eventId).toBe('orders.v1:0:15');
    expect(state?.origin).toMatchObject({ topic: 'orders.v1', partition: 0, offset: 15 });
    expect(state?.firstFailureAt).toBe(T0);
    expect(state?.error).toMatchObject({ className: 'OrderValidationError', kind: 'permanent' });
    expect(message.headers.traceparent?.toString('utf8')).toBe('00-abc-01');
  });

  it('sends a DLQ record to the retry topic, due at once', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();

    // Act
    const message = buildRedrive(dlqRecord, RedriveTarget.retry, topics, REDRIVE_AT);

    // Assess
    expect(message.topic).toBe(topics.retry);
    const state = decodeFailureHeaders(message.headers);
    expect(state?.attempt).toBe(0);
    expect(state?.dueAt).toBe(REDRIVE_AT);
  });

  it('increments the redrive count on a second redrive', () => {
    // Prepare
    const first = buildRedrive(deadLetteredRecord(), RedriveTarget.origin, topics, REDRIVE_AT);
    const redriven = consumedRecord({ topic: topics.orders, offset: 500, headers: first.headers });
    const failedAgain = routeFailure({
      record: redriven,
      previous: decodeFailureHeaders(redriven.headers),
      error: new OrderValidationError('invalid order: amount: Required'),
      policy,
      topics,
      now: REDRIVE_AT + 1_000,
      random: 0,
    });
    const secondDlqRecord = deadLetteredRecord({ offset: 77, headers: failedAgain.message.headers });

    // Act
    const message = buildRedrive(secondDlqRecord, RedriveTarget.origin, topics, REDRIVE_AT + 60_000);

    // Assess
    const state = decodeFailureHeaders(message.headers);
    expect(state?.redrive).toEqual({ count: 2, at: REDRIVE_AT + 60_000, from: 'orders.dlq:1:77' });
    expect(state?.attempt).toBe(0);
    expect(state?.eventId).toBe('orders.v1:0:15');
  });

  it('gives a redriven record a full set of attempts again', () => {
    // Prepare
    const message = buildRedrive(deadLetteredRecord(), RedriveTarget.retry, topics, REDRIVE_AT);
    const redriven = consumedRecord({ topic: topics.retry, headers: message.headers });

    // Act
    const routed = routeFailure({
      record: redriven,
      previous: decodeFailureHeaders(redriven.headers),
      error: new TransientProcessingError('still down'),
      policy,
      topics,
      now: REDRIVE_AT,
      random: 0,
    });

    // Assess
    expect(routed.decision).toEqual({ action: 'retry', failedAttempts: 1, dueAt: REDRIVE_AT + 500 });
  });

  it('rejects a record without failure headers', () => {
    // Prepare
    const stranger = consumedRecord({ topic: topics.dlq, partition: 0, offset: 3, headers: {} });

    // Act
    const act = () => buildRedrive(stranger, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    expect(act).toThrow(RedriveError);
    expect(act).toThrow('orders.dlq:0:3 has no failure headers: it was not dead-lettered by this pipeline');
  });

  it('rejects an origin topic this pipeline does not consume', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();
    const headers = { ...dlqRecord.headers, [FailureHeader.originTopic]: Buffer.from('payments.v1') };

    // Act
    const act = () => buildRedrive({ ...dlqRecord, headers }, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    expect(act).toThrow(RedriveError);
    expect(act).toThrow('origin topic payments.v1 is not one this pipeline consumes');
  });

  it('reads back as the history decoded and encoded again would, with the headers kept as they came', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();
    const previous = decodeFailureHeaders(dlqRecord.headers);

    // Act
    const message = buildRedrive(dlqRecord, RedriveTarget.retry, topics, REDRIVE_AT);

    // Assess
    const { deadLetterReason: _reason, ...history } = previous ?? ({} as never);
    expect(decodeFailureHeaders(message.headers)).toEqual({
      ...history,
      attempt: 0,
      dueAt: REDRIVE_AT,
      redrive: { count: 1, at: REDRIVE_AT, from: 'orders.dlq:1:42' },
    });
    expect(message.headers[FailureHeader.errorMessage]).toBe(dlqRecord.headers[FailureHeader.errorMessage]);
  });

  it('bounds an error message longer than the failure contract allows', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();
    const long = Buffer.from('x'.repeat(5_000));
    const headers = { ...dlqRecord.headers, [FailureHeader.errorMessage]: long };

    // Act
    const message = buildRedrive({ ...dlqRecord, headers }, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    const bounded = message.headers[FailureHeader.errorMessage];
    expect(bounded?.length).toBeLessThanOrEqual(1_024);
    expect(bounded?.toString('utf8')).toMatch(/^x+…\[truncated\]$/);
  });

  it('rejects a record whose attempt header is unreadable', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();
    const headers = { ...dlqRecord.headers, [FailureHeader.attempt]: Buffer.from('two') };

    // Act
    const act = () => buildRedrive({ ...dlqRecord, headers }, RedriveTarget.origin, topics, REDRIVE_AT);

    // Assess
    expect(act).toThrow('has no failure headers');
  });

  it('carries a header named __proto__ as a header, and sets the run headers given over stale ones', () => {
    // Prepare
    const dlqRecord = deadLetteredRecord();
    const headers: Record<string, Buffer> = { ...dlqRecord.headers, 'x-redrive-id': Buffer.from('old-run') };
    Object.defineProperty(headers, '__proto__', { value: Buffer.from('p'), enumerable: true });

    // Act
    const message = buildRedrive({ ...dlqRecord, headers }, RedriveTarget.origin, topics, REDRIVE_AT, {
      'x-redrive-id': Buffer.from('new-run'),
    });

    // Assess
    expect(Object.getPrototypeOf(message.headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(message.headers, '__proto__')?.value).toEqual(Buffer.from('p'));
    expect(message.headers['x-redrive-id']?.toString()).toBe('new-run');
  });
});
