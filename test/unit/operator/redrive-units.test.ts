import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailureHeader, RedriveHeader } from '../../../shared/contract/headers.js';
import { OperatorError } from '../../../shared/operator/errors.js';
import {
  applyEdit,
  carriesRunHeaders,
  type RedriveUnit,
  runHeadersOf,
  unitsOf,
} from '../../../shared/operator/redrive-units.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';

const envelopeRecord = () =>
  consumedRecord({
    topic: topics.dlq,
    offset: 40,
    key: null,
    value: readFileSync(path.resolve(import.meta.dirname, '../../events/lambda-on-failure-kafka.json')),
    headers: {},
  });

const runHeaders = runHeadersOf({ runId: 'run-1', generation: 2, operator: 'alice' });

const unitOf = (outcomes: ReturnType<typeof unitsOf>): RedriveUnit => {
  const [first] = outcomes;
  if (first === undefined || !('unit' in first)) throw new Error('expected a unit');
  return first.unit;
};

describe('unitsOf', () => {
  it('turns a dead-lettered record into one unit keyed by its DLQ coordinates', () => {
    // Act
    const unit = unitOf(unitsOf(dlqRecord({ offset: 7 }), 'origin', topics, T0, runHeaders));

    // Assess
    expect(unit.from).toBe('orders.dlq:0:7');
    expect(unit.message.topic).toBe(topics.orders);
    expect(unit.message.headers[FailureHeader.redrivenFrom]?.toString()).toBe('orders.dlq:0:7');
  });

  it('skips a record the pipeline did not dead-letter, with the reason', () => {
    // Act
    const [outcome] = unitsOf(
      consumedRecord({ topic: topics.dlq, headers: {} }),
      'origin',
      topics,
      T0,
      runHeaders,
    );

    // Assess
    expect(outcome).toMatchObject({ skipped: { from: 'orders.dlq:0:15' } });
  });

  it('turns an on-failure envelope into one unit per record, to its original topic with its key', () => {
    // Act
    const outcomes = unitsOf(envelopeRecord(), 'origin', topics, T0, runHeaders);

    // Assess
    expect(
      outcomes.map((outcome) =>
        'unit' in outcome
          ? [outcome.unit.from, outcome.unit.message.topic, outcome.unit.message.key?.toString()]
          : [],
      ),
    ).toEqual([
      ['orders.dlq:0:40#0', 'orders.v1', 'o-env-1'],
      ['orders.dlq:0:40#1', 'orders.v1', 'o-env-2'],
    ]);
  });

  it('redrives only the envelope records named by index', () => {
    // Act
    const outcomes = unitsOf(envelopeRecord(), 'retry', topics, T0, runHeaders, new Set([1]));

    // Assess
    expect(outcomes).toHaveLength(1);
    expect(unitOf(outcomes).from).toBe('orders.dlq:0:40#1');
    expect(unitOf(outcomes).message.topic).toBe(topics.retry);
  });
});

describe('run headers', () => {
  it('are on every unit: the run, generation and operator the resume scan and the audit look for', () => {
    // Prepare: a record redriven before, failed again and dead-lettered again, carries an earlier run's
    const earlier = runHeadersOf({ runId: 'run-0', generation: 1, operator: 'bob' });
    const record = dlqRecord();
    const again = { ...record, headers: { ...record.headers, ...earlier } };

    // Act
    const units = [
      unitOf(unitsOf(again, 'origin', topics, T0, runHeaders)),
      ...unitsOf(envelopeRecord(), 'origin', topics, T0, runHeaders).flatMap((outcome) =>
        'unit' in outcome ? [outcome.unit] : [],
      ),
    ];

    // Assess
    expect(units.length).toBeGreaterThan(1);
    for (const { message } of units) {
      expect(message.headers[RedriveHeader.runId]?.toString()).toBe('run-1');
      expect(message.headers[RedriveHeader.generation]?.toString()).toBe('2');
      expect(message.headers[RedriveHeader.operator]?.toString()).toBe('alice');
      expect(carriesRunHeaders(message, runHeaders)).toBe(true);
      expect(carriesRunHeaders(message, earlier)).toBe(false);
    }
  });
});

describe('applyEdit', () => {
  const original = dlqRecord({ orderId: 'o-5' });
  const unit = unitOf(unitsOf(original, 'origin', topics, T0, runHeaders));

  it('sends the validated correction and marks the edit in the audit headers', () => {
    // Act
    const edited = applyEdit(unit, original, { orderId: 'o-5', amount: 12 });

    // Assess
    expect(JSON.parse(edited.message.value?.toString() ?? '')).toMatchObject({ orderId: 'o-5', amount: 12 });
    expect(edited.message.key?.toString()).toBe('o-5');
    expect(edited.from).toBe(unit.from);
    expect(edited.message.headers[RedriveHeader.edited]?.toString()).toBe('true');
    expect(edited.message.headers[RedriveHeader.originalValueSha256]?.toString()).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['an order the schema rejects', { orderId: 'o-5', amount: -1 }],
    ['another order id', { orderId: 'o-6', amount: 12 }],
    ['no object at all', 'twelve'],
  ])('refuses %s before anything is sent', (_name, value) => {
    // Act
    const edit = () => applyEdit(unit, original, value);

    // Assess
    expect(edit).toThrow(OperatorError);
  });
});
