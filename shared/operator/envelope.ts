import type { ConsumedRecord } from '../domain/kafka-event.js';

/**
 * A Lambda on-failure destination envelope, as the event source mapping (provisioned mode) writes it
 * to a Kafka topic: failure metadata plus the original records under `payload.records`, keyed
 * `topic-partition`, with base64 keys and values.
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-record-format
 */
export interface FailureEnvelope {
  readonly condition: string;
  readonly approximateInvokeCount: number;
  readonly functionArn?: string;
  readonly functionError?: string;
  readonly timestamp?: string;
  readonly records: readonly ConsumedRecord[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

const bytes = (value: unknown): Buffer | null | undefined => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length % 4 !== 0 || !base64.test(value)) return undefined;
  return Buffer.from(value, 'base64');
};

// Headers arrive as AWS sends them for Kafka events: a list of single-key objects of byte arrays.
const headersOf = (value: unknown): Record<string, Buffer> | undefined => {
  if (value === undefined) return {};
  if (!Array.isArray(value)) return undefined;
  const headers: Record<string, Buffer> = {};
  for (const header of value) {
    if (!isObject(header)) return undefined;
    for (const [name, raw] of Object.entries(header)) {
      if (!Array.isArray(raw) || !raw.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255))
        return undefined;
      headers[name] = Buffer.from(raw as number[]);
    }
  }
  return headers;
};

const recordOf = (raw: unknown): ConsumedRecord | undefined => {
  if (!isObject(raw)) return undefined;
  const { topic, partition, offset, timestamp } = raw;
  if (typeof topic !== 'string' || topic === '') return undefined;
  if (!Number.isInteger(partition) || !Number.isInteger(Number(offset))) return undefined;
  const key = bytes(raw.key);
  const value = bytes(raw.value);
  const headers = headersOf(raw.headers);
  if (key === undefined || value === undefined || headers === undefined) return undefined;
  return {
    topic,
    partition: partition as number,
    offset: Number(offset),
    timestamp: typeof timestamp === 'number' ? timestamp : 0,
    key,
    value,
    headers,
  };
};

/**
 * The envelope a record's value holds, or undefined when it is not one (any ordinary DLQ record).
 * Recognised by its documented parts: `requestContext.condition` and `payload.records`; a record whose
 * parts are malformed is not an envelope, and is shown as the raw value it is.
 */
export const decodeFailureEnvelope = (value: Buffer | null): FailureEnvelope | undefined => {
  // Cheap pre-check: the scan calls this for every DLQ record.
  if (value === null || value.byteLength < 20 || value[0] !== 0x7b) return undefined;
  if (!value.includes('"requestContext"') || !value.includes('"payload"')) return undefined;
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.requestContext) || !isObject(parsed.payload)) return undefined;
  const { requestContext, responseContext, payload } = parsed;
  if (typeof requestContext.condition !== 'string' || !isObject(payload.records)) return undefined;
  const records: ConsumedRecord[] = [];
  for (const list of Object.values(payload.records)) {
    if (!Array.isArray(list)) return undefined;
    for (const raw of list) {
      const record = recordOf(raw);
      if (record === undefined) return undefined;
      records.push(record);
    }
  }
  const response = isObject(responseContext) ? responseContext : {};
  return {
    condition: requestContext.condition,
    approximateInvokeCount:
      typeof requestContext.approximateInvokeCount === 'number' ? requestContext.approximateInvokeCount : 0,
    ...(typeof requestContext.functionArn === 'string' ? { functionArn: requestContext.functionArn } : {}),
    ...(typeof response.functionError === 'string' ? { functionError: response.functionError } : {}),
    ...(typeof parsed.timestamp === 'string' ? { timestamp: parsed.timestamp } : {}),
    records,
  };
};
