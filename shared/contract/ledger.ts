import type { HistoryEntry } from './operator.js';

/**
 * Entries of the redrive ledger (`orders.dlq.redrives`, compacted). The Kafka key says what an entry is
 * about, so compaction keeps the latest state of each:
 * - `record:<dlq topic>:<partition>:<offset>`: that DLQ record was re-published, in which generation;
 * - `intent:<run id>:<chunk>`: a chunk about to be sent (cleared by a tombstone once it is recorded);
 * - `run:<run id>`: a redrive run, for the history.
 */
export const LedgerKeyPrefix = { record: 'record:', intent: 'intent:', run: 'run:' } as const;

export interface LedgerRecordEntry {
  readonly type: 'record';
  /** `topic:partition:offset` of the DLQ record. */
  readonly from: string;
  readonly generation: number;
  readonly runId: string;
  readonly operator: string;
  readonly at: number;
  readonly targetTopic: string;
  readonly edited: boolean;
}

/** The program that wrote an intent: recovery tells a dead writer from one that may still be sending. */
export interface IntentHolder {
  /** The pid space `pid` belongs to (a kernel boot and a pid namespace): where that pid names the writer. */
  readonly space: string;
  readonly pid: number;
  /** Random, one per running program: a pid reused after a restart is not the same writer. */
  readonly instance: string;
}

export interface LedgerIntentEntry {
  readonly type: 'intent';
  readonly runId: string;
  readonly generation: number;
  readonly at: number;
  /** The DLQ coordinates about to be sent. */
  readonly records: readonly string[];
  /** Per target topic and partition, the end offsets before the send: where a resume scans from. */
  readonly targetEnds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly operator: string;
  readonly targetTopics: readonly string[];
  readonly edited: boolean;
  /** Absent in intents written before writers were named; such an intent counts as another host's. */
  readonly holder?: IntentHolder;
}

export interface LedgerRunEntry extends HistoryEntry {
  readonly type: 'run';
  /** Identifies the same request re-run (selection, target, topic), so a killed forced run resumes. */
  readonly requestKey: string;
}

export type LedgerEntry = LedgerRecordEntry | LedgerIntentEntry | LedgerRunEntry;
