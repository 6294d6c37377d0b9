import { describe, expect, it } from 'vitest';
import { FailureHeader, RedriveHeader } from '../../../shared/contract/headers.js';
import type { IntentHolder, LedgerEntry, LedgerIntentEntry } from '../../../shared/contract/ledger.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { LedgerState, ledgerKeys } from '../../../shared/operator/ledger-state.js';
import type { OperatorPorts, ScanRequest } from '../../../shared/operator/ports.js';
import { recoverIntents } from '../../../shared/operator/recovery.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';
import { fakeOperatorPorts, testHolder } from './fake-ports.js';

const timing = { sendStartMs: 10_000, sendWindowMs: 60_000, clockSkewMs: 30_000 };
const elsewhere: IntentHolder = { space: 'other-host', pid: 7, instance: 'other' };

const intentOf = (records: string[], holder: IntentHolder, at = T0): LedgerIntentEntry => ({
  type: 'intent',
  runId: 'run-1',
  generation: 1,
  at,
  records,
  targetEnds: { [topics.orders]: { '0': 100, '1': 40 } },
  operator: 'alice',
  targetTopics: [topics.orders],
  edited: false,
  holder,
});

/** A copy the killed run sent: it carries the run, the generation and the DLQ record it came from. */
const sentCopy = (from: string, runId = 'run-1', generation = 1): ConsumedRecord =>
  consumedRecord({
    topic: topics.orders,
    offset: 101,
    headers: {
      [RedriveHeader.runId]: Buffer.from(runId),
      [RedriveHeader.generation]: Buffer.from(String(generation)),
      [FailureHeader.redrivenFrom]: Buffer.from(from),
    },
  });

const setup = (tail: ConsumedRecord[], intent: LedgerIntentEntry) => {
  const ledger = new LedgerState();
  const intentKey = ledgerKeys.intent('run-1', 'c1');
  ledger.apply(intentKey, intent);
  const events: string[] = [];
  const writes: Array<ReadonlyArray<{ key: string; entry: LedgerEntry | null }>> = [];
  const scans: ScanRequest[] = [];
  const base = fakeOperatorPorts(tail, {
    writeLedger: async (_runId, entries) => {
      events.push('write');
      writes.push(entries);
    },
    publish: async () => {
      throw new Error('recovery never sends');
    },
  });
  const ports: OperatorPorts = {
    ...base,
    scan: async (request, onRecord) => {
      events.push('scan');
      scans.push(request);
      return base.scan(request, onRecord);
    },
    sleep: async (ms) => {
      events.push(`sleep ${ms}`);
    },
  };
  return { ledger, intentKey, events, writes, scans, ports };
};

describe('recoverIntents', () => {
  it('records the copies found in the tail, clears the rest for the next run, and sends nothing', async () => {
    // Prepare
    const fake = setup(
      [
        sentCopy('orders.dlq:0:1'),
        sentCopy('orders.dlq:0:2', 'run-0'),
        sentCopy('orders.dlq:0:3', 'run-1', 2),
      ],
      intentOf(['orders.dlq:0:1', 'orders.dlq:0:2', 'orders.dlq:0:3'], testHolder),
    );

    // Act
    const recovered = await recoverIntents(fake.ports, fake.ledger, { timing, liveRuns: new Set() });

    // Assert
    expect(recovered).toBe(1);
    expect(fake.scans).toEqual([
      expect.objectContaining({ topic: topics.orders, from: { '0': 100, '1': 40 }, readUncommitted: true }),
    ]);
    const [write] = fake.writes;
    expect(write?.map(({ key }) => key)).toEqual([ledgerKeys.record('orders.dlq:0:1'), fake.intentKey]);
    expect(write?.[1]?.entry).toBeNull();
    expect(fake.ledger.generationOf('orders.dlq:0:1')).toBe(1);
    // Another run's copy, or another generation's, does not make this chunk's record sent.
    expect(fake.ledger.generationOf('orders.dlq:0:2')).toBe(0);
    expect(fake.ledger.generationOf('orders.dlq:0:3')).toBe(0);
    expect(fake.ledger.intents()).toEqual([]);
  });

  it('waits out the send window of a writer on another host before it reads the tails', async () => {
    // Prepare
    const fake = setup([sentCopy('orders.dlq:0:1')], intentOf(['orders.dlq:0:1'], elsewhere, T0 - 50_000));
    const told: number[] = [];

    // Act
    await recoverIntents(fake.ports, fake.ledger, {
      timing,
      liveRuns: new Set(),
      onWait: (ms) => told.push(ms),
    });

    // Assert
    expect(told).toEqual([40_000]);
    expect(fake.events).toEqual(['sleep 40000', 'scan', 'write']);
  });

  it('waits for the intent that may be sent the longest, once', async () => {
    // Prepare
    const fake = setup([], intentOf(['orders.dlq:0:1'], elsewhere, T0 - 80_000));
    fake.ledger.apply(ledgerKeys.intent('run-1', 'c2'), intentOf(['orders.dlq:0:2'], elsewhere, T0 - 20_000));

    // Act
    await recoverIntents(fake.ports, fake.ledger, { timing, liveRuns: new Set() });

    // Assert
    expect(fake.events.filter((event) => event.startsWith('sleep'))).toEqual(['sleep 60000']);
    expect(fake.ledger.intents()).toEqual([]);
  });

  it('reads the tails at once when the writer is known to be dead', async () => {
    // Prepare
    const fake = setup([], intentOf(['orders.dlq:0:1'], { ...testHolder, pid: 31337, instance: 'gone' }));

    // Act
    await recoverIntents(fake.ports, fake.ledger, { timing, liveRuns: new Set() });

    // Assert
    expect(fake.events).toEqual(['scan', 'write']);
  });

  it('does nothing without intents', async () => {
    const fake = setup([sentCopy('orders.dlq:0:1')], intentOf([], testHolder));
    fake.ledger.apply(fake.intentKey, null);

    expect(await recoverIntents(fake.ports, fake.ledger, { timing, liveRuns: new Set() })).toBe(0);
    expect(fake.events).toEqual([]);
  });
});
