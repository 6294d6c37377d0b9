import type { RedriveTarget } from '../domain/redrive.js';
import type { StepOutcome } from './redrive-jobs.js';
import type { MessageView } from './render.js';

/**
 * What the operator console's routes need from the operator service. The routes are a thin HTTP
 * adapter over this; `operator-service-port.ts` binds it to the service itself.
 */

/** Server-side filters over the whole DLQ; every given condition must hold. */
export interface DlqQuery {
  readonly reason?: string;
  readonly errorClass?: string;
  /** Case-insensitive substring of the error message. */
  readonly text?: string;
  /** The record key (the order id). */
  readonly key?: string;
  readonly originTopic?: string;
  /** Epoch ms, inclusive lower and exclusive upper bound of the record time. */
  readonly from?: number;
  readonly to?: number;
  readonly fingerprint?: string;
}

export interface DlqPage {
  readonly records: readonly MessageView[];
  /** Every record the query matches, not only this page. */
  readonly total: number;
  /** Opaque cursor over (partition, offset) for the next page; absent on the last one. */
  readonly cursor?: string;
}

export interface FailureGroupView {
  readonly fingerprint: string;
  readonly reason: string;
  readonly errorClass: string;
  /** The normalised message: ids, numbers and quoted values replaced. */
  readonly message: string;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly sample?: { readonly partition: number; readonly offset: number };
  /** Counts per bucket from `start`, `bucketMs` wide. */
  readonly trend: { readonly start: number; readonly bucketMs: number; readonly counts: readonly number[] };
}

/** What a redrive covers: named records, or every record a query matches (a group is a fingerprint query). */
export type RedriveSelection =
  | { readonly records: ReadonlyArray<{ readonly partition: number; readonly offset: number }> }
  | { readonly query: DlqQuery };

export interface RedriveSpec {
  readonly selection: RedriveSelection;
  readonly target: RedriveTarget;
  readonly dryRun: boolean;
  /** Redrive again what the ledger says was redriven: a new generation. */
  readonly force: boolean;
}

export interface HistoryEntry {
  readonly id: string;
  readonly at: number;
  readonly operator: string;
  /** What was redriven, in words: a filter, a group or a list of records. */
  readonly selection: string;
  readonly target: string;
  readonly count: number;
  readonly dryRun: boolean;
  readonly generation?: number;
}

/** Records per bucket into each topic. */
export interface RatesView {
  readonly start: number;
  readonly bucketMs: number;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly counts: readonly number[] }>;
}

export interface LagSample {
  readonly at: number;
  readonly lag: Readonly<Record<string, number>>;
}

export interface OperatorPort {
  list(query: DlqQuery, page: { readonly cursor?: string; readonly limit: number }): Promise<DlqPage>;
  inspect(partition: number, offset: number): Promise<MessageView | undefined>;
  groups(query: DlqQuery): Promise<{ readonly groups: readonly FailureGroupView[]; readonly total: number }>;
  /** Redrives until done or `signal` fires; the ledger makes a later call carry on from there. */
  redriveStep(
    spec: RedriveSpec,
    run: { readonly operator: string; readonly runId: string; readonly signal: AbortSignal },
  ): Promise<StepOutcome>;
  /** Validates `value` with the order schema, then redrives the record with it; the ledger keeps the original. */
  editAndRedrive(input: {
    readonly partition: number;
    readonly offset: number;
    readonly value: unknown;
    readonly target: RedriveTarget;
    readonly operator: string;
  }): Promise<{ readonly from: string; readonly to: string }>;
  history(limit: number): Promise<readonly HistoryEntry[]>;
  rates(now: number): Promise<RatesView>;
  /** The consumer groups' lag now. */
  lag(): Promise<Readonly<Record<string, number>>>;
}
