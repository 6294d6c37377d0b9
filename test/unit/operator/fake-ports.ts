import type { LedgerEntry } from '../../../shared/contract/ledger.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import type { OperatorPorts } from '../../../shared/operator/ports.js';
import { selectedBy } from '../../../shared/operator/selection.js';
import { T0, topics } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';

export type LedgerEntries = ReadonlyArray<{ key: string; entry: LedgerEntry | null }>;

/** What a ledger write holds: a chunk's intent, a chunk's records, or a run entry alone. */
export const ledgerWriteKind = (entries: LedgerEntries): 'intent' | 'record' | 'run' =>
  entries.some(({ key }) => key.startsWith('record:'))
    ? 'record'
    : entries[0]?.key.startsWith('intent:')
      ? 'intent'
      : 'run';

/** The process the fake ports run in, as intents name their writer. */
export const testHolder = { space: 'test-space', pid: 4242, instance: 'test-instance' } as const;

/** Operator ports over memory; `writeLedger` and `publish` are supplied by each test. */
export const fakeOperatorPorts = (
  records: ConsumedRecord[],
  io: Pick<OperatorPorts, 'writeLedger' | 'publish'>,
  onScanned: (record: ConsumedRecord) => void = () => undefined,
): OperatorPorts => ({
  topics,
  ledgerTopic: `${topics.dlq}.redrives`,
  scan: async (request, onRecord) => {
    const selected = selectedBy(request.selection, onRecord, request.onPassed);
    for (const record of records) {
      onScanned(record);
      await selected(record);
    }
    return { scanned: records.length, window: {} };
  },
  endOffsets: async () => ({ '0': 0 }),
  offsetsAtTime: async () => ({}),
  committedOffsets: async () => ({}),
  readLedger: async (from) => from,
  claimWriter: async () => undefined,
  holder: testHolder,
  isRunning: () => false,
  now: () => T0,
  sleep: async () => undefined,
  ...io,
});

/** `count` dead-lettered orders at offsets 0.. of partition 0. */
export const dlqOf = (count: number): ConsumedRecord[] =>
  Array.from({ length: count }, (_, offset) => dlqRecord({ offset, orderId: `o-${offset}` }));
