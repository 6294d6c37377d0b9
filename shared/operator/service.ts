import type {
  EditRedriveRequest,
  GroupsResponse,
  HistoryEntry,
  HistoryResponse,
  LagResponse,
  ListResponse,
  RatesResponse,
  RedriveResult,
} from '../contract/operator.js';
import { ConsumerGroups } from '../contract/topics.js';
import type { EnvelopeView, MessageView } from '../contract/views.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { decodeCursor, encodeCursor, InvalidCursorError, PageCollector, type PageCursor } from './cursor.js';
import { decodeFailureEnvelope } from './envelope.js';
import { conflict, invalidInput, notFound } from './errors.js';
import { matchesFilter } from './filters.js';
import { GroupAccumulator, trendOf } from './groups.js';
import { DefaultIntentTiming, type IntentTiming } from './intent-liveness.js';
import { decodeLedgerEntry, LedgerState } from './ledger-state.js';
import type { Offsets, OperatorPorts } from './ports.js';
import { type RunContext, runRedrive } from './redrive-run.js';
import { applyEdit } from './redrive-units.js';
import { coordinateOf, RenderLimits, renderBytes, toMessageView } from './render.js';
import { LagHistory, lagOf, RateWindow, rateBoundaries, ratesFromOffsets } from './stats.js';
import {
  OperatorLimits,
  parseEditRedriveRequest,
  parseGroupsRequest,
  parseInspectRequest,
  parseListRequest,
  parseRedriveRequest,
} from './validate.js';

export type { RunContext } from './redrive-run.js';

export interface OperatorServiceOptions {
  /** Records a redrive chunk (one intent, one send, one ledger transaction), at most a second's worth. Default 2,000. */
  readonly chunkSize?: number;
  readonly progressEveryMs?: number;
  /** The consumer groups whose lag is sampled. Default: the two of serverless.yml. */
  readonly lagGroups?: ReadonlyArray<{ readonly groupId: string; readonly topic: string }>;
  /** How long recovery waits out a chunk another process may still be sending. Default: DefaultIntentTiming. */
  readonly intentTiming?: IntentTiming;
}

/**
 * Every operator use case, with no HTTP and no CLI in it: the UI API and the `orders` CLI are thin
 * adapters over this. Inputs are validated here (an `OperatorError` says what is wrong), so both
 * adapters refuse the same things the same way.
 */
export interface OperatorService {
  /** A page of the DLQ (or a named topic) matching a filter, with the true total over the range. */
  list(request: unknown): Promise<ListResponse>;
  /** One record in full, with the records of an on-failure envelope listed one by one. */
  inspect(request: unknown): Promise<MessageView>;
  /** The DLQ grouped by failure fingerprint, largest group first. */
  groups(request: unknown): Promise<GroupsResponse>;
  /** Redrives a selection exactly once per generation, rate-limited, with progress, cancellable. */
  redrive(request: unknown, context: RunContext): Promise<RedriveResult>;
  /** Redrives one record with a corrected value (validated by the order schema first). */
  editAndRedrive(request: unknown, context: RunContext): Promise<RedriveResult>;
  /** Past redrive runs from the ledger, newest first. */
  history(limit?: number): Promise<HistoryResponse>;
  /** Records per minute into the three topics over the last hour. */
  rates(): Promise<RatesResponse>;
  /** Takes a consumer-lag sample now and returns the samples this process has taken. */
  lag(): Promise<LagResponse>;
}

const envelopeView = (record: ConsumedRecord, valueBytes: number): EnvelopeView | undefined => {
  const envelope = decodeFailureEnvelope(record.value);
  if (envelope === undefined) return undefined;
  return {
    condition: envelope.condition,
    approximateInvokeCount: envelope.approximateInvokeCount,
    ...(envelope.functionArn === undefined ? {} : { functionArn: envelope.functionArn }),
    ...(envelope.functionError === undefined ? {} : { functionError: envelope.functionError }),
    ...(envelope.timestamp === undefined ? {} : { failedAt: envelope.timestamp }),
    records: envelope.records.map((inner, index) => ({
      index,
      topic: inner.topic,
      partition: inner.partition,
      offset: inner.offset,
      timestamp: inner.timestamp,
      key: renderBytes(inner.key, RenderLimits.keyBytes),
      value: renderBytes(inner.value, valueBytes),
    })),
  };
};

export const createOperatorService = (
  ports: OperatorPorts,
  options: OperatorServiceOptions = {},
): OperatorService => {
  const ledger = new LedgerState();
  let ledgerPositions: Offsets = {};
  const lagHistory = new LagHistory();
  const lagGroups = options.lagGroups ?? [
    { groupId: ConsumerGroups.main, topic: ports.topics.orders },
    { groupId: ConsumerGroups.retry, topic: ports.topics.retry },
  ];

  /** Reads what was added to the ledger since the last read; the state is kept between calls. */
  const loadLedger = async (): Promise<LedgerState> => {
    ledgerPositions = await ports.readLedger(ledgerPositions, (key, value) =>
      ledger.apply(key, decodeLedgerEntry(key, value)),
    );
    return ledger;
  };

  const view = (record: ConsumedRecord, valueBytes: number): MessageView => {
    const base = toMessageView(record, valueBytes);
    const envelope = envelopeView(record, valueBytes);
    const entry = ledger.record(coordinateOf(record));
    return {
      ...base,
      ...(envelope === undefined ? {} : { envelope }),
      ...(entry === undefined
        ? {}
        : {
            ledger: {
              generation: entry.generation,
              runId: entry.runId,
              operator: entry.operator,
              at: entry.at,
              targetTopic: entry.targetTopic,
              edited: entry.edited,
            },
          }),
    };
  };

  const cursorOf = (text: string | undefined): PageCursor | undefined => {
    try {
      return decodeCursor(text);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidInput(error.message);
      throw error;
    }
  };

  const list: OperatorService['list'] = async (input) => {
    const request = parseListRequest(input);
    const topic = request.topic ?? ports.topics.dlq;
    const filter = request.filter ?? {};
    const limit = request.limit ?? OperatorLimits.pageDefault;
    const cursor = cursorOf(request.cursor);
    await loadLedger();
    const page = new PageCollector<ConsumedRecord>(limit, cursor);
    let total = 0;
    const fromTime = request.range?.fromTime ?? filter.fromTime;
    const result = await ports.scan(
      {
        topic,
        ...(request.range?.fromOffsets ? { from: request.range.fromOffsets } : {}),
        ...(request.range?.toOffsets ? { to: request.range.toOffsets } : {}),
        ...(fromTime === undefined || request.range?.fromOffsets ? {} : { fromTime }),
      },
      (record) => {
        if (!matchesFilter(record, filter)) return;
        total += 1;
        page.offer(record);
      },
    );
    const { items, more } = page.page();
    const last = items[items.length - 1];
    return {
      topic,
      records: items.map((record) => view(record, RenderLimits.listValueBytes)),
      total,
      scanned: result.scanned,
      window: result.window,
      ...(more && last ? { nextCursor: encodeCursor(last) } : {}),
    };
  };

  const inspect: OperatorService['inspect'] = async (input) => {
    const request = parseInspectRequest(input);
    const topic = request.topic ?? ports.topics.dlq;
    await loadLedger();
    let found: ConsumedRecord | undefined;
    await ports.scan(
      {
        topic,
        partitions: [request.partition],
        from: { [String(request.partition)]: request.offset },
        to: { [String(request.partition)]: request.offset + 1 },
      },
      (record) => {
        found = record;
      },
    );
    if (found === undefined) throw notFound(`no record at ${topic}:${request.partition}:${request.offset}`);
    return view(found, RenderLimits.detailValueBytes);
  };

  const groups: OperatorService['groups'] = async (input) => {
    const request = parseGroupsRequest(input);
    const filter = request.filter ?? {};
    await loadLedger();
    const accumulator = new GroupAccumulator();
    let from = Number.POSITIVE_INFINITY;
    let to = 0;
    const fromTime = request.range?.fromTime ?? filter.fromTime;
    const result = await ports.scan(
      {
        topic: ports.topics.dlq,
        ...(request.range?.fromOffsets ? { from: request.range.fromOffsets } : {}),
        ...(request.range?.toOffsets ? { to: request.range.toOffsets } : {}),
        ...(fromTime === undefined || request.range?.fromOffsets ? {} : { fromTime }),
      },
      (record) => {
        if (!matchesFilter(record, filter)) return;
        if (record.timestamp < from) from = record.timestamp;
        if (record.timestamp > to) to = record.timestamp;
        accumulator.add(record, ledger.generationOf(coordinateOf(record)) > 0);
      },
    );
    const buckets = request.buckets ?? OperatorLimits.bucketsDefault;
    return {
      groups: accumulator.groups().map((tally) => ({
        fingerprint: tally.key.fingerprint,
        reason: tally.key.reason,
        errorClass: tally.key.errorClass,
        template: tally.key.template,
        count: tally.count,
        redriven: tally.redriven,
        firstSeen: tally.firstSeen,
        lastSeen: tally.lastSeen,
        sample: view(tally.sample, RenderLimits.listValueBytes),
        trend: trendOf(tally, from, to, buckets),
      })),
      total: accumulator.total,
      scanned: result.scanned,
    };
  };

  const runOptions = {
    chunkSize: options.chunkSize ?? 2_000,
    progressEveryMs: options.progressEveryMs ?? 250,
    intentTiming: options.intentTiming ?? DefaultIntentTiming,
  };

  // Runs of one service share one ledger producer, so Kafka's fencing cannot keep them apart: one
  // run (not a dry run) at a time, and a second one is refused while it lasts.
  let activeRun: string | undefined;
  const exclusive = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (activeRun !== undefined) {
      throw conflict(`a ${activeRun} is already running here; wait for it to end or cancel it`);
    }
    activeRun = what;
    try {
      return await run();
    } finally {
      activeRun = undefined;
    }
  };

  const redrive: OperatorService['redrive'] = async (input, context) => {
    const request = parseRedriveRequest(input);
    // Its scan's thread gets ready while the ledger is claimed and read.
    const warm = () => void ports.warmScan?.(request.selection);
    if (request.dryRun) {
      warm();
      return runRedrive(ports, await loadLedger(), request, context, runOptions);
    }
    return exclusive('redrive', async () => {
      warm();
      await ports.claimWriter();
      return runRedrive(ports, await loadLedger(), request, context, runOptions);
    });
  };

  const editAndRedrive: OperatorService['editAndRedrive'] = async (input, context) => {
    const request: EditRedriveRequest = parseEditRedriveRequest(input);
    return exclusive('redrive', async () => {
      await ports.claimWriter();
      return runRedrive(
        ports,
        await loadLedger(),
        {
          selection: { kind: 'records', records: [request.record] },
          target: request.target,
          ...(request.force === undefined ? {} : { force: request.force }),
        },
        context,
        { ...runOptions, edit: (unit, record) => applyEdit(unit, record, request.value) },
      );
    });
  };

  const history: OperatorService['history'] = async (limit = 100) => {
    const state = await loadLedger();
    const runs: HistoryEntry[] = state
      .runs()
      .slice(0, Math.max(1, Math.min(1_000, limit)))
      .map(({ type: _type, requestKey: _key, ...run }) => run);
    return { runs };
  };

  const rates: OperatorService['rates'] = async () => {
    const now = ports.now();
    const boundaries = rateBoundaries(now);
    const start = (boundaries[0] ?? now) - RateWindow.bucketMs;
    const topics = [ports.topics.orders, ports.topics.retry, ports.topics.dlq];
    const entries = await Promise.all(
      topics.map(async (topic) => {
        const points = await Promise.all(
          [start, ...boundaries.slice(0, -1)].map((time) => ports.offsetsAtTime(topic, time)),
        );
        points.push(await ports.endOffsets(topic));
        return [topic, ratesFromOffsets(points)] as const;
      }),
    );
    return { bucketMs: RateWindow.bucketMs, from: start, topics: Object.fromEntries(entries) };
  };

  const lag: OperatorService['lag'] = async () => {
    const at = ports.now();
    const samples = await Promise.all(
      lagGroups.map(async ({ groupId, topic }) => {
        const [ends, committed, starts] = await Promise.all([
          ports.endOffsets(topic),
          ports.committedOffsets(groupId, topic),
          ports.offsetsAtTime(topic, 0),
        ]);
        return { at, groupId, topic, lag: lagOf(ends, committed, starts) };
      }),
    );
    for (const sample of samples) lagHistory.add(sample);
    return { samples: lagHistory.all() };
  };

  return { list, inspect, groups, redrive, editAndRedrive, history, rates, lag };
};
