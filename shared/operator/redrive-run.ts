import { randomUUID } from 'node:crypto';
import type { LedgerRunEntry } from '../contract/ledger.js';
import {
  type Operator,
  RedrivePhase,
  type RedriveProgress,
  type RedriveRequest,
  type RedriveResult,
  type SkippedRecord,
} from '../contract/operator.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { type ChunkGuard, ChunkPipeline } from './chunk-pipeline.js';
import { redriveChunkSteps } from './chunk-steps.js';
import { notFound } from './errors.js';
import type { IntentTiming } from './intent-liveness.js';
import {
  encodeLedgerEntry,
  generationFor,
  isDue,
  type LedgerState,
  ledgerKeys,
  requestKeyOf,
} from './ledger-state.js';
import type { Offsets, OperatorPorts } from './ports.js';
import { RateLimiter } from './rate-limiter.js';
import { recoverIntents } from './recovery.js';
import { type RedriveUnit, runHeadersOf, unitsOf } from './redrive-units.js';
import { coordinateOf } from './render.js';
import { OperatorLimits } from './validate.js';

export interface RunContext {
  readonly operator: Operator;
  /** Called as the run goes (at most every `progressEveryMs`), and once at the end. */
  readonly onProgress?: (progress: RedriveProgress) => void;
  /** Aborting stops the run after the chunk in flight; what was sent stays recorded. */
  readonly signal?: AbortSignal;
  /**
   * Each chunk's announce and send run inside this (`ChunkPipeline`'s guard). A UI job waits in it for a
   * request to attend, and keeps its answers back until the send settles (`shared/ui-api/redrive-jobs.ts`),
   * so a Lambda container frozen after a response never holds an announced, unsent chunk.
   */
  readonly guardChunk?: ChunkGuard;
}

export interface RunOptions {
  /** Records a chunk: one intent, one send and one ledger transaction each. */
  readonly chunkSize: number;
  readonly progressEveryMs: number;
  /** The send window recovery waits out for an intent whose writer may be alive (intent-liveness.ts). */
  readonly intentTiming: IntentTiming;
  /** An edit applied to every unit (edit-and-redrive of one record). */
  readonly edit?: (unit: RedriveUnit, record: ConsumedRecord) => RedriveUnit;
}

const listedMax = 1_000;

/** The part of the topic a selection needs read. */
const boundsOf = (request: RedriveRequest): { from?: Offsets; to?: Offsets; partitions?: number[] } => {
  const selection = request.selection;
  const coordinates =
    selection.kind === 'records'
      ? selection.records
      : selection.kind === 'envelope'
        ? [selection.coordinate]
        : [];
  if (coordinates.length === 0) return {};
  const from: Offsets = {};
  const to: Offsets = {};
  for (const { partition, offset } of coordinates) {
    const key = String(partition);
    from[key] = Math.min(from[key] ?? offset, offset);
    to[key] = Math.max(to[key] ?? 0, offset + 1);
  }
  // Partitions not named are not read at all.
  return { from, to, partitions: Object.keys(to).map(Number) };
};

/** Redrive runs going on in this process: recovery does not wait out an intent of one that ended. */
const liveRuns = new Set<string>();

interface RunIdentityOf {
  readonly requestKey: string;
  readonly generation: number;
  readonly resumed: LedgerRunEntry | undefined;
  readonly runId: string;
  readonly recovered: number;
}

/**
 * One redrive run, exactly once per DLQ record and generation (README "Redrive ledger"):
 * 1. chunks a killed run left in flight are settled against the target topics (recovery), once their
 *    writer can no longer be sending;
 * 2. the selection streams from the topic; a record the ledger has at this generation is left out;
 * 3. each chunk: an intent in the ledger, the acknowledged send, then its ledger records and the
 *    intent's tombstone in one transaction. A kill between any two steps is settled by step 1 of the
 *    next run: no record is sent twice and none is left out.
 */
export const runRedrive = async (
  ports: OperatorPorts,
  ledger: LedgerState,
  request: RedriveRequest,
  context: RunContext,
  options: RunOptions,
): Promise<RedriveResult> => {
  const dryRun = request.dryRun ?? false;
  const rate = request.ratePerSecond ?? OperatorLimits.rateDefault;
  // Recovery changes record entries only, never runs, so the run is identified before it.
  const requestKey = requestKeyOf(request);
  const { generation, resumed } = generationFor(
    ledger,
    request.force ?? false,
    requestKey,
    request.resumeRun === undefined ? undefined : { runId: request.resumeRun, dryRun },
  );
  const runId = resumed?.runId ?? randomUUID();
  const onWait = (ms: number): void =>
    context.onProgress?.({
      runId,
      phase: RedrivePhase.recovering,
      scanned: 0,
      matched: 0,
      sent: 0,
      alreadyRedriven: 0,
      skipped: 0,
      remaining: 0,
      etaSeconds: Math.ceil(ms / 1000),
      ratePerSecond: rate,
    });
  const recovered = dryRun
    ? 0
    : await recoverIntents(ports, ledger, { timing: options.intentTiming, liveRuns, onWait }, context.signal);
  liveRuns.add(runId);
  try {
    return await sendSelection(ports, ledger, request, context, options, {
      requestKey,
      generation,
      resumed,
      runId,
      recovered,
    });
  } finally {
    liveRuns.delete(runId);
  }
};

const sendSelection = async (
  ports: OperatorPorts,
  ledger: LedgerState,
  request: RedriveRequest,
  context: RunContext,
  options: RunOptions,
  { requestKey, generation, resumed, runId, recovered }: RunIdentityOf,
): Promise<RedriveResult> => {
  const { signal } = context;
  const operator = context.operator.name;
  const dryRun = request.dryRun ?? false;
  const force = request.force ?? false;
  const rate = request.ratePerSecond ?? OperatorLimits.rateDefault;
  const sourceTopic = request.topic ?? ports.topics.dlq;
  const startedAt = resumed?.startedAt ?? ports.now();
  let count = resumed?.count ?? 0;
  const runEntry = (status: LedgerRunEntry['status']): LedgerRunEntry => ({
    type: 'run',
    runId,
    requestKey,
    operator,
    startedAt,
    ...(status === 'running' ? {} : { finishedAt: ports.now() }),
    status,
    dryRun,
    force,
    generation,
    target: request.target,
    selection: request.selection,
    count,
    edited: options.edit !== undefined,
  });
  const writeRun = async (status: LedgerRunEntry['status']): Promise<void> => {
    const entry = runEntry(status);
    ledger.apply(ledgerKeys.run(runId), entry);
    if (!dryRun) return ports.writeLedger(runId, [{ key: ledgerKeys.run(runId), entry }]);
    // A dry run never takes the ledger's transactional writer (that would fence a live redrive in another
    // process): only its final entry goes to the ledger, for the history, as a plain idempotent publish.
    if (status === 'running') return;
    await ports.publish([
      {
        topic: ports.ledgerTopic,
        key: Buffer.from(ledgerKeys.run(runId)),
        value: Buffer.from(encodeLedgerEntry(entry)),
        headers: {},
      },
    ]);
  };
  await writeRun('running');

  const indexes =
    request.selection.kind === 'envelope' && request.selection.indexes
      ? new Set(request.selection.indexes)
      : undefined;
  const limiter = new RateLimiter(rate, ports.now, ports.sleep);
  // Built once: every record of the run carries the same three audit header buffers.
  const runHeaders = runHeadersOf({ runId, generation, operator });
  const chunkSize = Math.max(1, Math.min(options.chunkSize, Math.floor(rate)));
  const seen = new Set<string>();
  const skipped: SkippedRecord[] = [];
  const planned: Array<{ from: string; to: string; key: string | null }> = [];
  const buffer: RedriveUnit[] = [];
  let scanned = 0;
  let matched = 0;
  let sent = 0;
  let due = 0;
  let alreadyRedriven = 0;
  let skippedCount = 0;
  let windowTotal = 0;
  let phase: RedrivePhase = RedrivePhase.scanning;
  let reportedAt = 0;
  const sendStartedAt = ports.now();

  const report = (force = false): void => {
    if (context.onProgress === undefined) return;
    const now = ports.now();
    if (!force && now - reportedAt < options.progressEveryMs) return;
    reportedAt = now;
    // Until the scan ends the total is estimated from the share of the range read so far.
    const expected =
      phase === RedrivePhase.scanning && scanned > 0 ? Math.round((due / scanned) * windowTotal) : due;
    const remaining = Math.max(0, expected - (dryRun ? due : sent));
    const elapsed = (now - sendStartedAt) / 1000;
    const observed = elapsed > 2 && sent > 0 ? sent / elapsed : rate;
    context.onProgress({
      runId,
      phase,
      scanned,
      matched,
      sent,
      alreadyRedriven,
      skipped: skippedCount,
      remaining,
      etaSeconds: dryRun ? 0 : Math.ceil(remaining / Math.max(1e-9, Math.min(rate, observed))),
      ratePerSecond: rate,
      ...(dryRun ? { dryRun, wouldSend: due } : {}),
    });
  };

  // Chunks go out through the pipeline: the scan keeps filling the next chunk while one is sent and
  // the one before it recorded (chunk-pipeline.ts says what may overlap and why).
  const pipeline = new ChunkPipeline(
    redriveChunkSteps(
      ports,
      ledger,
      {
        runId,
        generation,
        operator,
        runHeaders,
        edited: options.edit !== undefined,
        sendStartMs: options.intentTiming.sendStartMs,
        runEntryWith: (recorded) => ({ ...runEntry('running'), count: count + recorded }),
        onRecorded: (recorded, run) => {
          count += recorded;
          sent += recorded;
          ledger.apply(ledgerKeys.run(runId), run);
          // Each recorded chunk is reported: after the scan has ended it is the only progress there is.
          report(true);
        },
      },
      limiter,
      signal,
    ),
    context.guardChunk,
  );
  /** Hands full chunks to the pipeline; `all` also the last, partial one. */
  const flush = async (all = false): Promise<void> => {
    while (buffer.length >= chunkSize || (all && buffer.length > 0)) {
      await pipeline.submit(buffer.splice(0, chunkSize));
    }
  };

  // Not async: the scan awaits what this returns only when it is a promise (a full chunk to hand
  // over), which spares a microtask per record over a 100,000-record DLQ.
  const onRecord = (record: ConsumedRecord): Promise<void> | undefined => {
    // Only the selection's records come here (the scan applies it); the others are counted by onPassed.
    scanned += 1;
    const coordinate = `${record.partition}:${record.offset}`;
    // A record the scan delivers twice (a consumer rejoin) is handled once.
    if (seen.has(coordinate)) {
      report();
      return undefined;
    }
    seen.add(coordinate);
    matched += 1;
    for (const outcome of unitsOf(record, request.target, ports.topics, ports.now(), runHeaders, indexes)) {
      if ('skipped' in outcome) {
        skippedCount += 1;
        if (skipped.length < listedMax) skipped.push(outcome.skipped);
        continue;
      }
      const unit = options.edit ? options.edit(outcome.unit, record) : outcome.unit;
      if (!isDue(ledger, unit.from, generation)) {
        alreadyRedriven += 1;
        continue;
      }
      due += 1;
      if (dryRun) {
        count += 1;
        if (planned.length < listedMax) {
          planned.push({
            from: unit.from,
            to: unit.message.topic,
            key: unit.message.key?.toString('utf8') ?? null,
          });
        }
        continue;
      }
      buffer.push(unit);
    }
    report();
    return buffer.length >= chunkSize ? flush() : undefined;
  };

  let cancelled = false;
  try {
    await ports.scan(
      {
        topic: sourceTopic,
        ...boundsOf(request),
        ...(signal ? { signal } : {}),
        selection: request.selection,
        onPassed: (count) => {
          scanned += count;
          report();
        },
        onStart: (window) => {
          windowTotal = Object.values(window).reduce((sum, span) => sum + (span.to - span.from), 0);
        },
      },
      onRecord,
    );
    phase = RedrivePhase.sending;
    if (!dryRun) await flush(true);
    await pipeline.finish();
  } catch (error) {
    // What is in flight ends first: a chunk taken is sent and recorded, or left to recovery.
    await pipeline.settled();
    // A cancel stops the run after the chunks in flight; a failed recording (a fenced writer) is a
    // failure even when a cancel came at the same time.
    if (!signal?.aborted || pipeline.failure?.step === 'record') {
      await writeRun('failed').catch(() => undefined);
      throw pipeline.failure?.error ?? error;
    }
    cancelled = true;
  }
  if (request.selection.kind === 'records' || request.selection.kind === 'envelope') {
    const wanted =
      request.selection.kind === 'records' ? request.selection.records : [request.selection.coordinate];
    for (const { partition, offset } of wanted) {
      if (seen.has(`${partition}:${offset}`)) continue;
      skippedCount += 1;
      if (skipped.length < listedMax) {
        skipped.push({
          from: coordinateOf({ topic: sourceTopic, partition, offset }),
          reason: 'not in the topic (removed by retention, or never there)',
        });
      }
    }
    if (request.selection.kind === 'envelope' && matched === 0) {
      await writeRun('failed').catch(() => undefined);
      throw notFound(
        `no record at ${sourceTopic}:${request.selection.coordinate.partition}:${request.selection.coordinate.offset}`,
      );
    }
  }
  phase = cancelled ? RedrivePhase.cancelled : RedrivePhase.done;
  await writeRun(cancelled ? 'cancelled' : 'completed');
  report(true);
  return {
    runId,
    generation,
    dryRun,
    cancelled,
    target: request.target,
    scanned,
    matched,
    sent,
    recovered,
    alreadyRedriven,
    skipped,
    planned,
  };
};
