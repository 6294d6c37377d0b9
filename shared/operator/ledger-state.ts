import { createHash } from 'node:crypto';
import {
  type LedgerEntry,
  type LedgerIntentEntry,
  LedgerKeyPrefix,
  type LedgerRecordEntry,
  type LedgerRunEntry,
} from '../contract/ledger.js';
import type { RedriveRequest } from '../contract/operator.js';
import { invalidInput } from './errors.js';

export const ledgerKeys = {
  record: (from: string): string => `${LedgerKeyPrefix.record}${from}`,
  intent: (runId: string, chunk: string): string => `${LedgerKeyPrefix.intent}${runId}:${chunk}`,
  run: (runId: string): string => `${LedgerKeyPrefix.run}${runId}`,
} as const;

export class LedgerFormatError extends Error {
  constructor(key: string) {
    super(`ledger entry ${key} is not readable`);
    this.name = 'LedgerFormatError';
  }
}

/** The ledger entry a Kafka record holds; `null` for a tombstone (compaction then drops the key). */
export const decodeLedgerEntry = (key: string, value: Buffer | null): LedgerEntry | null => {
  if (value === null) return null;
  let entry: unknown;
  try {
    entry = JSON.parse(value.toString('utf8'));
  } catch {
    throw new LedgerFormatError(key);
  }
  const type = (entry as { type?: unknown } | null)?.type;
  if (type !== 'record' && type !== 'intent' && type !== 'run') throw new LedgerFormatError(key);
  return entry as LedgerEntry;
};

export const encodeLedgerEntry = (entry: LedgerEntry): string => JSON.stringify(entry);

/**
 * The ledger folded to its latest state, as compaction would leave it: the generation each DLQ record
 * was last redriven in, the chunks in flight and the runs. Built by reading the ledger topic from the
 * start; it holds one small entry per DLQ record ever redriven.
 */
export class LedgerState {
  readonly #records = new Map<string, LedgerRecordEntry>();
  readonly #intents = new Map<string, LedgerIntentEntry>();
  readonly #runs = new Map<string, LedgerRunEntry>();

  apply(key: string, entry: LedgerEntry | null): void {
    if (key.startsWith(LedgerKeyPrefix.record)) {
      const from = key.slice(LedgerKeyPrefix.record.length);
      if (entry?.type === 'record') this.#records.set(from, entry);
      else this.#records.delete(from);
    } else if (key.startsWith(LedgerKeyPrefix.intent)) {
      if (entry?.type === 'intent') this.#intents.set(key, entry);
      else this.#intents.delete(key);
    } else if (key.startsWith(LedgerKeyPrefix.run)) {
      if (entry?.type === 'run') this.#runs.set(key.slice(LedgerKeyPrefix.run.length), entry);
      else this.#runs.delete(key.slice(LedgerKeyPrefix.run.length));
    }
  }

  /** The generation a DLQ record was last redriven in; 0 when never. */
  generationOf(from: string): number {
    return this.#records.get(from)?.generation ?? 0;
  }

  record(from: string): LedgerRecordEntry | undefined {
    return this.#records.get(from);
  }

  /** Chunks whose send was announced but never recorded: a killed or failed run. */
  intents(): Array<{ key: string; intent: LedgerIntentEntry }> {
    return [...this.#intents].map(([key, intent]) => ({ key, intent }));
  }

  runs(): LedgerRunEntry[] {
    return [...this.#runs.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  run(runId: string): LedgerRunEntry | undefined {
    return this.#runs.get(runId);
  }

  /** The highest generation any record reached: a forced run takes the next one. */
  maxGeneration(): number {
    let max = 0;
    for (const entry of this.#records.values()) if (entry.generation > max) max = entry.generation;
    for (const run of this.#runs.values()) if (run.generation > max) max = run.generation;
    return max;
  }

  /**
   * The latest run of the same request that did not finish (still running, failed or cancelled), to
   * resume rather than start over.
   */
  unfinishedRun(requestKey: string): LedgerRunEntry | undefined {
    return this.runs().find(
      (run) =>
        run.requestKey === requestKey &&
        !run.dryRun &&
        (run.status === 'running' || run.status === 'failed' || run.status === 'cancelled'),
    );
  }

  get size(): number {
    return this.#records.size;
  }
}

/** Whether a DLQ record is still to be sent in a run of `generation`. */
export const isDue = (state: LedgerState, from: string, generation: number): boolean =>
  state.generationOf(from) < generation;

/**
 * The generation a run works in. A plain run is generation 1: it sends only what was never redriven.
 * A forced run resumes its own unfinished run if there is one, so a killed or cancelled `--force` re-run
 * completes without sending twice; otherwise it opens the next generation. `resumeRun` names the run to
 * continue (a UI job whose container no longer answers): the request goes on in that run's generation,
 * finished or not, so continuing a forced run that has completed sends nothing again. A run the ledger
 * does not have wrote nothing, so nothing of it was sent, and the request starts as it would.
 */
export const generationFor = (
  state: LedgerState,
  force: boolean,
  requestKey: string,
  resumeRun?: { readonly runId: string; readonly dryRun: boolean },
): { generation: number; resumed?: LedgerRunEntry } => {
  const named = resumeRun === undefined ? undefined : state.run(resumeRun.runId);
  if (named !== undefined && resumeRun !== undefined) {
    if (named.requestKey !== requestKey || named.force !== force || named.dryRun !== resumeRun.dryRun) {
      throw invalidInput(`run ${named.runId} was another redrive: it cannot be continued with this request`);
    }
    return { generation: named.generation, resumed: named };
  }
  if (!force) return { generation: 1 };
  const resumed = state.unfinishedRun(requestKey);
  if (resumed?.force) return { generation: resumed.generation, resumed };
  return { generation: state.maxGeneration() + 1 };
};

/** Identifies a request independent of who runs it and when: selection, target and topic. */
export const requestKeyOf = (request: Pick<RedriveRequest, 'selection' | 'target' | 'topic'>): string =>
  createHash('sha256')
    .update(JSON.stringify([request.topic ?? '', request.target, canonical(request.selection)]))
    .digest('base64url')
    .slice(0, 22);

// Key order must not change the request key.
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, entry]) => [key, canonical(entry)]),
    );
  }
  return value;
};

/**
 * What a resume does with a chunk left in flight: the DLQ records whose re-published copy is in the
 * target topic (found by the tail scan) were sent and are recorded now; the others were not, and are
 * sent again by the run. Never both, so neither a duplicate nor a gap.
 */
export const settleIntent = (
  intent: LedgerIntentEntry,
  found: ReadonlySet<string>,
): { sent: string[]; unsent: string[] } => {
  const sent: string[] = [];
  const unsent: string[] = [];
  for (const from of intent.records) (found.has(from) ? sent : unsent).push(from);
  return { sent, unsent };
};
