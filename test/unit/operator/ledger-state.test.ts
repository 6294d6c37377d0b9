import { describe, expect, it } from 'vitest';
import type {
  LedgerIntentEntry,
  LedgerRecordEntry,
  LedgerRunEntry,
} from '../../../shared/contract/ledger.js';
import {
  decodeLedgerEntry,
  encodeLedgerEntry,
  generationFor,
  isDue,
  LedgerFormatError,
  LedgerState,
  ledgerKeys,
  requestKeyOf,
  settleIntent,
} from '../../../shared/operator/ledger-state.js';

const recordEntry = (from: string, generation = 1): LedgerRecordEntry => ({
  type: 'record',
  from,
  generation,
  runId: 'run-1',
  operator: 'alice',
  at: 1,
  targetTopic: 'orders.v1',
  edited: false,
});

const runEntry = (overrides: Partial<LedgerRunEntry> = {}): LedgerRunEntry => ({
  type: 'run',
  runId: 'run-1',
  requestKey: 'key-1',
  operator: 'alice',
  startedAt: 1,
  status: 'running',
  dryRun: false,
  force: true,
  generation: 2,
  target: 'origin',
  selection: { kind: 'filter', filter: {} },
  count: 10,
  edited: false,
  ...overrides,
});

const intent: LedgerIntentEntry = {
  type: 'intent',
  runId: 'run-1',
  generation: 1,
  at: 1,
  records: ['orders.dlq:0:1', 'orders.dlq:0:2', 'orders.dlq:1:7'],
  targetEnds: { 'orders.v1': { '0': 10 } },
  operator: 'alice',
  targetTopics: ['orders.v1'],
  edited: false,
};

describe('LedgerState', () => {
  it('keeps the latest entry per key, as compaction does', () => {
    // Prepare
    const state = new LedgerState();

    // Act
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 1));
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 3));

    // Assess
    expect(state.generationOf('orders.dlq:0:1')).toBe(3);
    expect(state.generationOf('orders.dlq:0:2')).toBe(0);
    expect(state.maxGeneration()).toBe(3);
  });

  it('forgets an intent at its tombstone', () => {
    // Prepare
    const state = new LedgerState();
    const key = ledgerKeys.intent('run-1', 'a');
    state.apply(key, intent);

    // Act
    const before = state.intents().length;
    state.apply(key, null);

    // Assess
    expect(before).toBe(1);
    expect(state.intents()).toEqual([]);
  });

  it('says a record is due only below the generation of the run', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 1));

    // Act
    const plain = isDue(state, 'orders.dlq:0:1', 1);
    const forced = isDue(state, 'orders.dlq:0:1', 2);
    const never = isDue(state, 'orders.dlq:0:9', 1);

    // Assess
    expect([plain, forced, never]).toEqual([false, true, true]);
  });
});

describe('generationFor', () => {
  it('runs a plain redrive as generation 1, so it sends only what was never redriven', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 4));

    // Act
    const result = generationFor(state, false, 'key-1');

    // Assess
    expect(result).toEqual({ generation: 1 });
  });

  it('opens the next generation for a forced run', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 4));

    // Act
    const result = generationFor(state, true, 'key-1');

    // Assess
    expect(result.generation).toBe(5);
  });

  it('resumes the unfinished forced run of the same request instead of opening another generation', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 2, status: 'running' }));
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 2));

    // Act
    const same = generationFor(state, true, 'key-1');
    const other = generationFor(state, true, 'key-2');

    // Assess
    expect(same.generation).toBe(2);
    expect(same.resumed?.runId).toBe('run-1');
    expect(other.generation).toBe(3);
  });

  it('resumes a cancelled forced run (Ctrl-C) instead of sending its records again in a new generation', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 2, status: 'cancelled', finishedAt: 5 }));
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 2));

    // Act
    const result = generationFor(state, true, 'key-1');

    // Assess
    expect(result.generation).toBe(2);
    expect(result.resumed?.runId).toBe('run-1');
    expect(isDue(state, 'orders.dlq:0:1', result.generation)).toBe(false);
  });

  it('does not resume a completed forced run', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 2, status: 'completed' }));

    // Act
    const result = generationFor(state, true, 'key-1');

    // Assess
    expect(result).toEqual({ generation: 3 });
  });

  it('continues a named forced run in its generation even once it completed, so it sends nothing again', () => {
    // Prepare
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 2, status: 'completed' }));
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 2));

    // Act
    const result = generationFor(state, true, 'key-1', { runId: 'run-1', dryRun: false });

    // Assess
    expect(result.generation).toBe(2);
    expect(result.resumed?.runId).toBe('run-1');
    expect(isDue(state, 'orders.dlq:0:1', result.generation)).toBe(false);
  });

  it('continues a named plain run under its own id', () => {
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 1, force: false, status: 'running' }));

    const result = generationFor(state, false, 'key-1', { runId: 'run-1', dryRun: false });

    expect(result).toEqual({ generation: 1, resumed: expect.objectContaining({ runId: 'run-1' }) });
  });

  it('refuses to continue a named run of another request, or with force or dry run changed', () => {
    const state = new LedgerState();
    state.apply(ledgerKeys.run('run-1'), runEntry({ generation: 2, status: 'running' }));

    for (const [force, key, dryRun] of [
      [true, 'key-2', false],
      [false, 'key-1', false],
      [true, 'key-1', true],
    ] as const) {
      expect(() => generationFor(state, force, key, { runId: 'run-1', dryRun })).toThrow(
        /run run-1 was another redrive/,
      );
    }
  });

  it('starts as asked when the named run is not in the ledger (it wrote nothing, so sent nothing)', () => {
    const state = new LedgerState();
    state.apply(ledgerKeys.record('orders.dlq:0:1'), recordEntry('orders.dlq:0:1', 4));

    expect(generationFor(state, true, 'key-1', { runId: 'run-9', dryRun: false })).toEqual({ generation: 5 });
    expect(generationFor(state, false, 'key-1', { runId: 'run-9', dryRun: false })).toEqual({
      generation: 1,
    });
  });
});

describe('settleIntent', () => {
  it('records what the tail scan found and sends the rest again: never both, never neither', () => {
    // Act
    const { sent, unsent } = settleIntent(intent, new Set(['orders.dlq:0:2']));

    // Assess
    expect(sent).toEqual(['orders.dlq:0:2']);
    expect(unsent).toEqual(['orders.dlq:0:1', 'orders.dlq:1:7']);
    expect([...sent, ...unsent].sort()).toEqual([...intent.records].sort());
  });
});

describe('requestKeyOf', () => {
  it('ignores key order and undefined parts, and tells targets apart', () => {
    // Act
    const a = requestKeyOf({
      selection: { kind: 'filter', filter: { reason: 'r', text: 't' } },
      target: 'origin',
    });
    const b = requestKeyOf({
      selection: { kind: 'filter', filter: { text: 't', reason: 'r', key: undefined } },
      target: 'origin',
    });
    const c = requestKeyOf({
      selection: { kind: 'filter', filter: { reason: 'r', text: 't' } },
      target: 'retry',
    });

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('ledger entry codec', () => {
  it('round-trips an entry and reads a tombstone as null', () => {
    // Act
    const decoded = decodeLedgerEntry('k', Buffer.from(encodeLedgerEntry(intent)));
    const tombstone = decodeLedgerEntry('k', null);

    // Assess
    expect(decoded).toEqual(intent);
    expect(tombstone).toBeNull();
  });

  it('refuses an entry it cannot read, rather than guessing', () => {
    // Act
    const garbage = () => decodeLedgerEntry('k', Buffer.from('not json'));
    const unknown = () => decodeLedgerEntry('k', Buffer.from('{"type":"other"}'));

    // Assess
    expect(garbage).toThrow(LedgerFormatError);
    expect(unknown).toThrow(LedgerFormatError);
  });
});
