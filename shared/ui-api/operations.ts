import { decodeFailureHeaders } from '../domain/failure-headers.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { buildRedrive, RedriveError, type RedriveTarget } from '../domain/redrive.js';
import type { Topics } from '../domain/topics.js';
import { OperatorError } from '../operator/errors.js';
import { buildProduceMessage as buildProduce } from '../operator/produce.js';
import { ApiError } from './http.js';
import type { MessageLog } from './message-log.js';
import { coordinateOf } from './render.js';
import type { ProduceRequest, RedriveFilter, RedriveRequest } from './requests.js';

/** The produce use case of the operator service, with its refusals as the API's 400s. */
export const buildProduceMessage = (request: ProduceRequest, topics: Topics): OutboundMessage => {
  try {
    return buildProduce(request, topics);
  } catch (error) {
    if (error instanceof OperatorError) throw new ApiError(400, error.message);
    throw error;
  }
};

/** Whether a DLQ record matches an operator's filter (all given conditions must hold). */
export const matchesFilter = (record: ConsumedRecord, filter: RedriveFilter): boolean => {
  const state = decodeFailureHeaders(record.headers);
  if (filter.reason !== undefined && state?.deadLetterReason !== filter.reason) return false;
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    const haystack = [record.key?.toString('utf8'), record.value?.toString('utf8'), state?.error.message]
      .filter((part) => part !== undefined)
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
};

export interface PlannedRedrive {
  readonly from: string;
  readonly to: string;
  readonly key: string | null;
}

export interface RedrivePlan {
  readonly planned: readonly PlannedRedrive[];
  readonly skipped: ReadonlyArray<{ readonly from: string; readonly reason: string }>;
  readonly messages: readonly OutboundMessage[];
}

/**
 * Plans a redrive: one record a DLQ record, through the shared `buildRedrive` (attempts reset, audit
 * headers). A record without failure headers, or whose origin is not ours, is skipped with the reason.
 */
export const planRedrive = (
  records: readonly ConsumedRecord[],
  target: RedriveTarget,
  topics: Topics,
  now: number,
): RedrivePlan => {
  const planned: PlannedRedrive[] = [];
  const skipped: Array<{ from: string; reason: string }> = [];
  const messages: OutboundMessage[] = [];
  for (const record of records) {
    try {
      const message = buildRedrive(record, target, topics, now);
      messages.push(message);
      planned.push({
        from: coordinateOf(record),
        to: message.topic,
        key: record.key?.toString('utf8') ?? null,
      });
    } catch (error) {
      if (!(error instanceof RedriveError)) throw error;
      skipped.push({ from: coordinateOf(record), reason: error.message });
    }
  }
  return { planned, skipped, messages };
};

/**
 * The DLQ records a redrive request names: given coordinates (a missing one is reported, not guessed)
 * or every held record matching the filter.
 */
export const selectForRedrive = (
  log: MessageLog,
  request: Pick<RedriveRequest, 'records' | 'all' | 'filter'>,
  dlqTopic: string,
): { selected: ConsumedRecord[]; missing: Array<{ from: string; reason: string }> } => {
  if (request.records === undefined) {
    return { selected: log.all().filter((record) => matchesFilter(record, request.filter)), missing: [] };
  }
  const selected: ConsumedRecord[] = [];
  const missing: Array<{ from: string; reason: string }> = [];
  for (const { partition, offset } of request.records) {
    const record = log.find(partition, offset);
    if (record) selected.push(record);
    else {
      missing.push({
        from: coordinateOf({ topic: dlqTopic, partition, offset }),
        reason: 'not among the latest DLQ records held',
      });
    }
  }
  return { selected, missing };
};

/** The part of the DLQ a redrive looked at: the records held, and per partition the offsets they span. */
export interface ScanWindow {
  readonly scanned: number;
  readonly window: Record<string, { readonly from: number; readonly to: number }>;
}

export const scanWindow = (log: MessageLog): ScanWindow => {
  const window: Record<string, { from: number; to: number }> = {};
  for (const record of log.all()) {
    const partition = String(record.partition);
    const span = window[partition];
    if (span === undefined) window[partition] = { from: record.offset, to: record.offset };
    else {
      span.from = Math.min(span.from, record.offset);
      span.to = Math.max(span.to, record.offset);
    }
  }
  return { scanned: log.size, window };
};

export interface RedriveOutcome extends RedrivePlan, ScanWindow {
  /** Selected DLQ records left alone because a held orders/retry record was redriven from them. */
  readonly alreadyRedriven: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/**
 * Everything a redrive request does, without sending anything: selects from the DLQ records held,
 * leaves out those already redriven (a record in orders/retry carries their coordinates in
 * `x-redriven-from`) unless `force`, and plans the rest. Running the same request twice therefore
 * sends nothing the second time, as long as the redriven records are still among those held.
 */
export const planRedriveRequest = (input: {
  readonly dlq: MessageLog;
  /** The orders and retry records held, where earlier redrives show up. */
  readonly redriven: Iterable<ConsumedRecord>;
  readonly request: Pick<RedriveRequest, 'records' | 'all' | 'filter' | 'target' | 'force'>;
  readonly topics: Topics;
  readonly now: number;
}): RedriveOutcome => {
  const { selected, missing } = selectForRedrive(input.dlq, input.request, input.topics.dlq);
  const done = new Map<string, string>();
  if (!input.request.force) {
    for (const record of input.redriven) {
      const from = decodeFailureHeaders(record.headers)?.redrive?.from;
      if (from !== undefined && from !== '' && !done.has(from)) done.set(from, coordinateOf(record));
    }
  }
  const alreadyRedriven: Array<{ from: string; to: string }> = [];
  const fresh = selected.filter((record) => {
    const to = done.get(coordinateOf(record));
    if (to !== undefined) alreadyRedriven.push({ from: coordinateOf(record), to });
    return to === undefined;
  });
  const plan = planRedrive(fresh, input.request.target, input.topics, input.now);
  return {
    ...scanWindow(input.dlq),
    planned: plan.planned,
    skipped: [...missing, ...plan.skipped],
    alreadyRedriven,
    messages: plan.messages,
  };
};
