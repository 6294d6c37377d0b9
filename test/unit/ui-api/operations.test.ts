import { describe, expect, it } from 'vitest';
import { decodeFailureHeaders } from '../../../shared/domain/failure-headers.js';
import { buildRedrive } from '../../../shared/domain/redrive.js';
import { ApiError } from '../../../shared/ui-api/http.js';
import { MessageLog } from '../../../shared/ui-api/message-log.js';
import {
  buildProduceMessage,
  matchesFilter,
  planRedrive,
  planRedriveRequest,
  scanWindow,
  selectForRedrive,
} from '../../../shared/ui-api/operations.js';
import { parseProduce, parseRedrive, topicRoleOf } from '../../../shared/ui-api/requests.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';
import { dlqRecord } from './fixtures.js';

describe('produce requests', () => {
  it('validates a form order with the shared schema and keys it by order id', () => {
    // Prepare
    const request = parseProduce({
      mode: 'form',
      order: { orderId: 'o-9', amount: 3, simulate: { failUntilRedriven: true } },
    });

    // Act
    const message = buildProduceMessage(request, topics);

    // Assess
    expect(message.topic).toBe(topics.orders);
    expect(message.key?.toString()).toBe('o-9');
    expect(JSON.parse(message.value?.toString() ?? '')).toEqual({
      orderId: 'o-9',
      amount: 3,
      currency: 'EUR',
      simulate: { failUntilRedriven: true },
    });
  });

  it('refuses an invalid form order with a 400 that says why', () => {
    // Prepare
    const request = parseProduce({ mode: 'form', order: { orderId: 'o 9', amount: 'lots' } });

    // Act
    const build = () => buildProduceMessage(request, topics);

    // Assess
    expect(build).toThrow(ApiError);
    expect(build).toThrow(/invalid order: orderId/);
  });

  it('sends a raw value as typed, hex and null included', () => {
    // Act
    const text = buildProduceMessage(parseProduce({ mode: 'raw', key: 'k', value: 'not json' }), topics);
    const hex = buildProduceMessage(
      parseProduce({
        mode: 'raw',
        value: 'ff 00',
        valueEncoding: 'hex',
        topic: 'retry',
        headers: { a: 'b' },
      }),
      topics,
    );
    const tombstone = buildProduceMessage(parseProduce({ mode: 'raw', value: null }), topics);

    // Assess
    expect(text.value?.toString()).toBe('not json');
    expect(hex).toMatchObject({ topic: topics.retry, key: null, value: Buffer.from([0xff, 0]) });
    expect(hex.headers.a?.toString()).toBe('b');
    expect(tombstone.value).toBeNull();
  });

  it('refuses unknown modes, unknown fields and oversized values', () => {
    // Act & Assess
    expect(() => parseProduce({ mode: 'sql' })).toThrow(/invalid produce request/);
    expect(() => parseProduce({ mode: 'raw', value: 'x', topic: 'dlq' })).toThrow(/invalid produce request/);
    expect(() => parseProduce({ mode: 'raw', value: 'x'.repeat(200_000) })).toThrow(
      /invalid produce request/,
    );
    expect(() => parseProduce({ mode: 'raw', value: 'x', extra: 1 })).toThrow(/invalid produce request/);
  });
});

describe('topic allow-list', () => {
  it('knows the three topics by role or name and nothing else', () => {
    // Act & Assess
    expect(topicRoleOf('dlq', topics)).toBe('dlq');
    expect(topicRoleOf('orders.retry', topics)).toBe('retry');
    expect(topicRoleOf('__consumer_offsets', topics)).toBeUndefined();
  });
});

describe('redrive', () => {
  it('matches a filter on reason and on text in key, value or error', () => {
    // Prepare
    const exhausted = dlqRecord(1, { deadLetterReason: 'attempts-exhausted' });
    const permanent = dlqRecord(2);

    // Act & Assess
    expect(matchesFilter(exhausted, { reason: 'attempts-exhausted' })).toBe(true);
    expect(matchesFilter(permanent, { reason: 'attempts-exhausted' })).toBe(false);
    expect(matchesFilter(permanent, { text: 'O-2' })).toBe(true);
    expect(matchesFilter(permanent, { text: 'rejected', reason: 'permanent-failure' })).toBe(true);
    expect(matchesFilter(permanent, { text: 'nowhere' })).toBe(false);
  });

  it('plans one redrive per record with attempts reset, and skips a record without failure headers', () => {
    // Prepare
    const foreign = consumedRecord({ topic: topics.dlq, offset: 9 });

    // Act
    const plan = planRedrive([dlqRecord(3, { attempt: 5 }), foreign], 'retry', topics, T0);

    // Assess
    expect(plan.planned).toEqual([{ from: 'orders.dlq:0:3', to: topics.retry, key: 'o-3' }]);
    expect(plan.skipped).toEqual([
      { from: 'orders.dlq:0:9', reason: expect.stringContaining('no failure headers') },
    ]);
    const state = decodeFailureHeaders(plan.messages[0]?.headers ?? {});
    expect(state).toMatchObject({
      attempt: 0,
      dueAt: T0,
      redrive: { count: 1, at: T0, from: 'orders.dlq:0:3' },
    });
  });

  it('selects named records, reports missing ones, or all matching a filter', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 });
    log.add(dlqRecord(1, { deadLetterReason: 'attempts-exhausted' }));
    log.add(dlqRecord(2));

    // Act
    const named = selectForRedrive(
      log,
      parseRedrive({
        target: 'origin',
        records: [
          { partition: 0, offset: 2 },
          { partition: 0, offset: 99 },
        ],
      }),
      topics.dlq,
    );
    const filtered = selectForRedrive(
      log,
      parseRedrive({ target: 'origin', all: true, filter: { reason: 'attempts-exhausted' } }),
      topics.dlq,
    );

    // Assess
    expect(named.selected.map((r) => r.offset)).toEqual([2]);
    expect(named.missing).toEqual([{ from: 'orders.dlq:0:99', reason: expect.any(String) }]);
    expect(filtered.selected.map((r) => r.offset)).toEqual([1]);
  });

  it('skips DLQ records already redriven, reports them, and redrives them anyway when forced', () => {
    // Prepare
    const dlq = new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 });
    const done = dlqRecord(5);
    dlq.add(done);
    dlq.add(dlqRecord(6));
    const redriven = consumedRecord({ ...buildRedrive(done, 'origin', topics, T0 - 1_000), offset: 40 });
    const request = parseRedrive({ target: 'origin', all: true });

    // Act
    const first = planRedriveRequest({ dlq, redriven: [redriven], request, topics, now: T0 });
    const forced = planRedriveRequest({
      dlq,
      redriven: [redriven],
      request: parseRedrive({ target: 'origin', all: true, force: true }),
      topics,
      now: T0,
    });
    const unseen = planRedriveRequest({ dlq, redriven: [], request, topics, now: T0 });

    // Assess
    expect(first.planned.map((p) => p.from)).toEqual(['orders.dlq:0:6']);
    expect(first.alreadyRedriven).toEqual([{ from: 'orders.dlq:0:5', to: 'orders.v1:0:40' }]);
    expect(first.messages).toHaveLength(1);
    expect(forced.planned.map((p) => p.from)).toEqual(['orders.dlq:0:5', 'orders.dlq:0:6']);
    expect(forced.alreadyRedriven).toEqual([]);
    expect(unseen.planned).toHaveLength(2);
  });

  it('reports how many DLQ records it scanned and the offsets they span, missing ones as skipped', () => {
    // Prepare
    const dlq = new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 });
    dlq.add(dlqRecord(3));
    dlq.add(dlqRecord(8));
    dlq.add(dlqRecord(2, {}, { partition: 1 }));

    // Act
    const outcome = planRedriveRequest({
      dlq,
      redriven: [],
      request: parseRedrive({ target: 'retry', records: [{ partition: 0, offset: 1 }] }),
      topics,
      now: T0,
    });

    // Assess
    expect(scanWindow(new MessageLog({ maxRecords: 1, maxBytes: 1 }))).toEqual({ scanned: 0, window: {} });
    expect(outcome).toMatchObject({
      scanned: 3,
      window: { '0': { from: 3, to: 8 }, '1': { from: 2, to: 2 } },
      planned: [],
      alreadyRedriven: [],
      skipped: [{ from: 'orders.dlq:0:1', reason: expect.stringContaining('not among') }],
    });
  });

  it('refuses a redrive naming both records and all, or neither', () => {
    // Act & Assess
    expect(() => parseRedrive({ target: 'origin' })).toThrow(/records or all/);
    expect(() =>
      parseRedrive({ target: 'origin', all: true, records: [{ partition: 0, offset: 1 }] }),
    ).toThrow(/records or all/);
    expect(() => parseRedrive({ target: 'dlq', all: true })).toThrow(/invalid redrive request/);
  });
});
