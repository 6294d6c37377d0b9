import type { IntentHolder, LedgerEntry } from '../contract/ledger.js';
import type { RedriveSelection } from '../contract/operator.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import type { Topics } from '../domain/topics.js';

/** Per partition (as a string), an offset. */
export type Offsets = Record<string, number>;

export interface ScanRequest {
  readonly topic: string;
  readonly from?: Readonly<Offsets>;
  readonly to?: Readonly<Offsets>;
  readonly fromTime?: number;
  /** Only these partitions; default all. */
  readonly partitions?: readonly number[];
  readonly signal?: AbortSignal;
  readonly readUncommitted?: boolean;
  /** Called once, before the first record, with the range that will be read. */
  readonly onStart?: (window: Readonly<Record<string, { from: number; to: number }>>) => void;
  /**
   * Only the records this selection takes reach `onRecord` (`selectedBy`); each one left out is counted
   * to `onPassed`. The adapter applies it where it decodes the records, which may be another thread.
   */
  readonly selection?: RedriveSelection;
  readonly onPassed?: (count: number) => void;
}

export interface ScanResult {
  readonly scanned: number;
  readonly window: Readonly<Record<string, { readonly from: number; readonly to: number }>>;
}

/**
 * What the operator service needs from Kafka. The adapter (`shared/adapters/operator-kafka.ts`)
 * implements it with kafkajs; the service stays free of clients, HTTP and flags.
 */
export interface OperatorPorts {
  readonly topics: Topics;
  /** The compacted redrive ledger topic. */
  readonly ledgerTopic: string;
  /** Streams a range of a topic, offset order per partition; `onRecord` is awaited (backpressure). */
  scan(request: ScanRequest, onRecord: (record: ConsumedRecord) => void | Promise<void>): Promise<ScanResult>;
  /**
   * A scan with this selection (a redrive's) follows soon: an adapter that would scan it on another
   * thread may start that thread now, while the redrive reads its ledger. Resolves once it is ready,
   * never rejecting.
   */
  warmScan?(selection: RedriveSelection): Promise<void>;
  endOffsets(topic: string): Promise<Offsets>;
  /** Per partition, the first offset at or after `time` (the end offset when there is none). */
  offsetsAtTime(topic: string, time: number): Promise<Offsets>;
  /** Committed offsets of a consumer group on a topic (partitions never committed are absent). */
  committedOffsets(groupId: string, topic: string): Promise<Offsets>;
  /**
   * The ledger's records from `from` (per partition; default the start) to the current end, read
   * committed, in offset order per partition. Resolves with the offsets reached, for the next read.
   */
  readLedger(from: Readonly<Offsets>, onEntry: (key: string, value: Buffer | null) => void): Promise<Offsets>;
  /**
   * Becomes the ledger's writer before a redrive reads the ledger: fences any earlier writer (a killed
   * run), whose open transaction is aborted, so the read that follows sees everything committed.
   */
  claimWriter(): Promise<void>;
  /** Writes ledger entries (a null entry is a tombstone) atomically, in one Kafka transaction. */
  writeLedger(
    runId: string,
    entries: ReadonlyArray<{ key: string; entry: LedgerEntry | null }>,
  ): Promise<void>;
  /**
   * Acknowledged (acks=all), idempotent publish of every message, or a rejection. With `startBy` (ms
   * since the epoch), no request starts after it, and each one ends within a bounded time: a resume
   * waits out a writer's sends by the clock (intent-liveness.ts).
   */
  publish(messages: readonly OutboundMessage[], startBy?: number): Promise<void>;
  /** This process, as the intents it writes name it. */
  readonly holder: IntentHolder;
  /** Whether the process `pid` of this process's pid space is running. */
  isRunning(pid: number): boolean;
  now(): number;
  /** Waits, or rejects when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
