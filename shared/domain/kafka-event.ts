import { InvalidLambdaEventError } from './errors.js';

/**
 * The event AWS Lambda sends for a Kafka event source mapping, and its decoding into typed records.
 * Shapes: https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html (self-managed, `SelfManagedKafka`)
 * and https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html (MSK, `aws:kafka`).
 */

/** One header as AWS sends it: a single-key object whose value is the header's bytes. */
export type LambdaKafkaHeader = Record<string, number[]>;

export interface LambdaKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  /** Base64. Absent (or null) when the record has no key. */
  key?: string | null;
  /** Base64. Absent (or null) for a record with a null value. */
  value?: string | null;
  headers: LambdaKafkaHeader[];
}

export interface LambdaKafkaEvent {
  eventSource: 'SelfManagedKafka' | 'aws:kafka';
  eventSourceArn?: string;
  bootstrapServers?: string;
  /** Keyed `topic-partition`; each array is in offset order. */
  records: Record<string, LambdaKafkaRecord[]>;
}

export type RecordHeaders = Readonly<Record<string, Buffer>>;

/**
 * Sets a header on an object being built. A header may be named `__proto__`: plain assignment would set
 * the object's prototype instead (and every inherited property would then read as a header).
 */
export const setHeader = (headers: Record<string, Buffer>, name: string, value: Buffer): void => {
  if (name === '__proto__') {
    Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    headers[name] = value;
  }
};

/** A record as the pipeline sees it: raw bytes, nothing interpreted yet. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
}

// Re-exported where callers have always found it; the class lives in the one error module.
export { InvalidLambdaEventError } from './errors.js';

const fromBase64 = (text: string | null | undefined): Buffer | null =>
  text === undefined || text === null ? null : Buffer.from(text, 'base64');

// Shared by every record without headers (most orders on the main topic): one object, not one each.
const noHeaders: RecordHeaders = Object.freeze({});

/** Header names can repeat in Kafka; the last value wins here because our own headers are written once. */
export const decodeLambdaHeaders = (headers: readonly LambdaKafkaHeader[] | undefined): RecordHeaders => {
  if (headers === undefined || headers === null || headers.length === 0) return noHeaders;
  const decoded: Record<string, Buffer> = {};
  for (const header of headers ?? []) {
    for (const [name, bytes] of Object.entries(header)) decoded[name] = Buffer.from(bytes);
  }
  return decoded;
};

const inOffsetOrder = (batch: readonly LambdaKafkaRecord[]): boolean => {
  for (let index = 1; index < batch.length; index += 1) {
    if ((batch[index - 1] as LambdaKafkaRecord).offset > (batch[index] as LambdaKafkaRecord).offset)
      return false;
  }
  return true;
};

/**
 * Flattens a self-managed Kafka or MSK event into records, keeping offset order within each
 * partition. An event of any other shape is a wiring error and throws: there are no records to save.
 */
export const decodeKafkaEvent = (event: LambdaKafkaEvent): ConsumedRecord[] => {
  if (event?.eventSource !== 'SelfManagedKafka' && event?.eventSource !== 'aws:kafka') {
    throw new InvalidLambdaEventError(`unsupported eventSource: ${String(event?.eventSource)}`);
  }
  if (typeof event.records !== 'object' || event.records === null) {
    throw new InvalidLambdaEventError('event.records is missing');
  }
  const records: ConsumedRecord[] = [];
  for (const batch of Object.values(event.records)) {
    // AWS sends each partition in offset order; a copy is sorted only if one ever is not.
    const sorted = inOffsetOrder(batch) ? batch : [...batch].sort((a, b) => a.offset - b.offset);
    for (const record of sorted) {
      records.push({
        topic: record.topic,
        partition: record.partition,
        offset: Number(record.offset),
        timestamp: record.timestamp,
        key: fromBase64(record.key),
        value: fromBase64(record.value),
        headers: decodeLambdaHeaders(record.headers),
      });
    }
  }
  return records;
};
