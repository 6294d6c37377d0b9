import type { Coordinate, MessageView } from './views.js';

/**
 * Request and response types of every operator use case. The operator service implements them, the
 * UI API and the CLI are thin adapters over it, and the browser imports them as they are.
 */

/** Server-side filters; every condition given must hold. */
export interface SearchFilter {
  /** Exact dead-letter reason, e.g. `permanent-error` or `attempts-exhausted`. */
  readonly reason?: string;
  /** Exact error class, e.g. `OrderValidationError`. */
  readonly errorClass?: string;
  /** Case-insensitive substring of the error message, the key or the value. */
  readonly text?: string;
  /** Exact record key, which is the order id. */
  readonly key?: string;
  /** The original topic the record first came from. */
  readonly originTopic?: string;
  /** A failure fingerprint (see `FailureGroup.fingerprint`). */
  readonly fingerprint?: string;
  /** Record timestamps, epoch ms, inclusive from and exclusive to. */
  readonly fromTime?: number;
  readonly toTime?: number;
}

/** Where a scan starts and stops. Omitted: the whole retained DLQ. */
export interface ScanRange {
  /** Per partition, the first offset read. */
  readonly fromOffsets?: Readonly<Record<string, number>>;
  /** Per partition, the offset the scan stops before. Default: the end offsets when the scan starts. */
  readonly toOffsets?: Readonly<Record<string, number>>;
  /** Start at the first records at or after this time (epoch ms); looked up per partition by the broker. */
  readonly fromTime?: number;
}

export interface ListRequest {
  readonly filter?: SearchFilter;
  readonly range?: ScanRange;
  /** Opaque, from the previous page's `nextCursor`. */
  readonly cursor?: string;
  /** Page size, 1..500 (default 100). */
  readonly limit?: number;
  /** Read a topic the operator names instead of the DLQ (on-failure destination topics). */
  readonly topic?: string;
}

export interface ListResponse {
  readonly topic: string;
  readonly records: readonly MessageView[];
  /** The true number of records matching the filter in the whole range, not the page size. */
  readonly total: number;
  /** Records read to compute the page and the total. */
  readonly scanned: number;
  /** Undefined on the last page. */
  readonly nextCursor?: string;
  /** Per partition, the offsets the scan covered, `[from, to)`. */
  readonly window: Readonly<Record<string, { readonly from: number; readonly to: number }>>;
}

export interface InspectRequest extends Coordinate {
  readonly topic?: string;
}

/** Count per time bucket, oldest first. */
export interface Trend {
  readonly bucketMs: number;
  readonly from: number;
  readonly counts: readonly number[];
}

export interface FailureGroup {
  /** Stable id of reason + error class + normalised message. */
  readonly fingerprint: string;
  readonly reason: string;
  readonly errorClass: string;
  /** The error message with ids, numbers and quoted values replaced by placeholders. */
  readonly template: string;
  readonly count: number;
  /** How many of them the ledger says were redriven already. */
  readonly redriven: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly sample: MessageView;
  readonly trend: Trend;
}

export interface GroupsRequest {
  readonly filter?: SearchFilter;
  readonly range?: ScanRange;
  /** Trend buckets (default 24). */
  readonly buckets?: number;
}

export interface GroupsResponse {
  readonly groups: readonly FailureGroup[];
  readonly total: number;
  readonly scanned: number;
}

export const RedriveTarget = { origin: 'origin', retry: 'retry' } as const;
export type RedriveTarget = (typeof RedriveTarget)[keyof typeof RedriveTarget];

/** Which DLQ records a redrive takes. */
export type RedriveSelection =
  | { readonly kind: 'records'; readonly records: readonly Coordinate[] }
  | { readonly kind: 'filter'; readonly filter: SearchFilter }
  | { readonly kind: 'group'; readonly fingerprint: string; readonly filter?: SearchFilter }
  /** One record carried inside an on-failure envelope at `coordinate` (index into `payload.records`). */
  | { readonly kind: 'envelope'; readonly coordinate: Coordinate; readonly indexes?: readonly number[] };

export interface RedriveRequest {
  readonly selection: RedriveSelection;
  readonly target: RedriveTarget;
  readonly dryRun?: boolean;
  /** Redrive again what the ledger says was redriven: a new generation. */
  readonly force?: boolean;
  /** Records per second (default 500). */
  readonly ratePerSecond?: number;
  /** The topic the selection reads, when not the DLQ (an on-failure destination topic). */
  readonly topic?: string;
  /**
   * Continue this run (its id) rather than start one: the same request goes on in that run's generation,
   * so continuing a forced run that completed sends nothing again. The UI sends it when the container
   * running its job no longer answers.
   */
  readonly resumeRun?: string;
}

export interface EditRedriveRequest {
  readonly record: Coordinate;
  /** The corrected order, as JSON; the order schema validates it before anything is sent. */
  readonly value: unknown;
  readonly target: RedriveTarget;
  readonly force?: boolean;
}

export const RedrivePhase = {
  recovering: 'recovering',
  scanning: 'scanning',
  sending: 'sending',
  done: 'done',
  cancelled: 'cancelled',
} as const;
export type RedrivePhase = (typeof RedrivePhase)[keyof typeof RedrivePhase];

/** Progress of a redrive, reported as it goes. */
export interface RedriveProgress {
  readonly runId: string;
  readonly phase: RedrivePhase;
  /** DLQ records read so far. */
  readonly scanned: number;
  /** Records matching the selection so far. */
  readonly matched: number;
  /** Records re-published so far (this run). */
  readonly sent: number;
  /** Records left out because the ledger says they were redriven. */
  readonly alreadyRedriven: number;
  readonly skipped: number;
  /** Records still to send, when known (after the scan has finished). */
  readonly remaining?: number;
  /** Seconds left at the current rate, when `remaining` is known. */
  readonly etaSeconds?: number;
  readonly ratePerSecond: number;
  /** Set for a dry run, which sends nothing: `wouldSend` is then what it would have sent so far. */
  readonly dryRun?: boolean;
  readonly wouldSend?: number;
}

export interface SkippedRecord {
  readonly from: string;
  readonly reason: string;
}

export interface RedriveResult {
  readonly runId: string;
  readonly generation: number;
  readonly dryRun: boolean;
  readonly cancelled: boolean;
  readonly target: RedriveTarget;
  readonly scanned: number;
  readonly matched: number;
  /** Re-published by this run. */
  readonly sent: number;
  /**
   * Found already sent by a killed run (an intent settled from the target topic) and recorded now;
   * they are not sent again, and are counted in `alreadyRedriven` too.
   */
  readonly recovered: number;
  readonly alreadyRedriven: number;
  readonly skipped: readonly SkippedRecord[];
  /** A dry run: what would be sent (at most 1,000 listed). */
  readonly planned: ReadonlyArray<{
    readonly from: string;
    readonly to: string;
    readonly key: string | null;
  }>;
}

/** A redrive run as the ledger keeps it. */
export interface HistoryEntry {
  readonly runId: string;
  readonly operator: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly status: 'running' | 'completed' | 'cancelled' | 'failed';
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly generation: number;
  readonly target: RedriveTarget;
  readonly selection: RedriveSelection;
  /** Records re-published by the run (and recovered after a kill). */
  readonly count: number;
  readonly edited: boolean;
}

export interface HistoryResponse {
  readonly runs: readonly HistoryEntry[];
}

/** Records per minute into each topic over the last hour, from the topics' own offsets and timestamps. */
export interface RatesResponse {
  readonly bucketMs: number;
  readonly from: number;
  readonly topics: Readonly<Record<string, readonly number[]>>;
}

/** One consumer-lag sample of a group. */
export interface LagSample {
  readonly at: number;
  readonly groupId: string;
  readonly topic: string;
  readonly lag: number;
}

export interface LagResponse {
  readonly samples: readonly LagSample[];
}

/** A named operator, from a token. */
export interface Operator {
  readonly name: string;
}
