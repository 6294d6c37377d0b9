import { createHash } from 'node:crypto';
import { FailureHeader, RedriveHeader } from '../contract/headers.js';
import type { RedriveTarget } from '../contract/operator.js';
import { OrderValidationError } from '../domain/errors.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { validateOrder } from '../domain/order-schema.js';
import { buildRedrive, RedriveError } from '../domain/redrive.js';
import type { Topics } from '../domain/topics.js';
import { decodeFailureEnvelope } from './envelope.js';
import { invalidInput } from './errors.js';
import { coordinateOf } from './render.js';

/** One record to re-publish: `from` is what the ledger keys it by. */
export interface RedriveUnit {
  readonly from: string;
  readonly message: OutboundMessage;
}

export type UnitOutcome =
  | { readonly unit: RedriveUnit }
  | { readonly skipped: { from: string; reason: string } };

/** The ledger key of the `index`th record inside the envelope at `coordinate`. */
export const envelopeFrom = (coordinate: string, index: number): string => `${coordinate}#${index}`;

/**
 * The records a DLQ record stands for. An ordinary one is itself (through the shared `buildRedrive`:
 * attempts reset, audit headers); an on-failure envelope stands for each record it carries, sent to
 * its original topic with its key. Each carries its run's headers (`runHeadersOf`), which the resume
 * scan looks for, set once here rather than copied in again at the send. `indexes` narrows an envelope
 * to some of its records.
 */
export const unitsOf = (
  record: ConsumedRecord,
  target: RedriveTarget,
  topics: Topics,
  now: number,
  runHeaders: RunHeaders,
  indexes?: ReadonlySet<number>,
): UnitOutcome[] => {
  const coordinate = coordinateOf(record);
  const envelope = decodeFailureEnvelope(record.value);
  if (envelope === undefined) {
    try {
      return [{ unit: { from: coordinate, message: buildRedrive(record, target, topics, now, runHeaders) } }];
    } catch (error) {
      if (error instanceof RedriveError) return [{ skipped: { from: coordinate, reason: error.message } }];
      throw error;
    }
  }
  const allowed = new Set([topics.orders, topics.retry]);
  return envelope.records.flatMap((inner, index): UnitOutcome[] => {
    if (indexes !== undefined && !indexes.has(index)) return [];
    const from = envelopeFrom(coordinate, index);
    const topic = target === 'retry' ? topics.retry : inner.topic;
    if (!allowed.has(topic)) {
      return [{ skipped: { from, reason: `origin topic ${topic} is not one this pipeline consumes` } }];
    }
    return [
      {
        unit: {
          from,
          message: {
            topic,
            key: inner.key,
            value: inner.value,
            headers: {
              ...inner.headers,
              [FailureHeader.redrivenFrom]: Buffer.from(from),
              [FailureHeader.redrivenAt]: Buffer.from(String(now)),
              [FailureHeader.redriveCount]: Buffer.from('1'),
              ...runHeaders,
            },
          },
        },
      },
    ];
  });
};

export interface RunIdentity {
  readonly runId: string;
  readonly generation: number;
  readonly operator: string;
}

/** The audit headers of a run, on every record it sends (built once a run: producers only read them). */
export type RunHeaders = Readonly<Record<string, Buffer>>;

/** The audit headers of a run, added to every record it sends; the resume scan looks for them. */
export const runHeadersOf = (run: RunIdentity): RunHeaders => ({
  [RedriveHeader.runId]: Buffer.from(run.runId),
  [RedriveHeader.generation]: Buffer.from(String(run.generation)),
  [RedriveHeader.operator]: Buffer.from(run.operator),
});

/** Whether a message carries these run headers (the very buffers: `unitsOf` set them). */
export const carriesRunHeaders = (message: OutboundMessage, runHeaders: RunHeaders): boolean =>
  message.headers[RedriveHeader.runId] === runHeaders[RedriveHeader.runId] &&
  message.headers[RedriveHeader.generation] === runHeaders[RedriveHeader.generation] &&
  message.headers[RedriveHeader.operator] === runHeaders[RedriveHeader.operator];

/**
 * Applies an operator's edit to a unit: the corrected value must pass the order schema, and keep the
 * order id the record is keyed by (a different order id is a different order, not a correction).
 * The audit headers mark the edit and carry a hash of the original value.
 */
export const applyEdit = (unit: RedriveUnit, original: ConsumedRecord, value: unknown): RedriveUnit => {
  let order: ReturnType<typeof validateOrder>;
  try {
    order = validateOrder(value);
  } catch (error) {
    if (error instanceof OrderValidationError) throw invalidInput(error.message, { cause: error });
    throw error;
  }
  const key = original.key?.toString('utf8');
  if (key !== undefined && order.orderId !== key) {
    throw invalidInput(`orderId must stay ${key}, the key of the record being corrected`);
  }
  const sha = createHash('sha256')
    .update(original.value ?? Buffer.alloc(0))
    .digest('hex');
  return {
    from: unit.from,
    message: {
      ...unit.message,
      key: original.key ?? Buffer.from(order.orderId),
      value: Buffer.from(JSON.stringify(order)),
      headers: {
        ...unit.message.headers,
        [RedriveHeader.edited]: Buffer.from('true'),
        [RedriveHeader.originalValueSha256]: Buffer.from(sha),
      },
    },
  };
};
