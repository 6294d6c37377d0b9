import { type ConsumedRecord, setHeader } from '../domain/kafka-event.js';

/**
 * Records of one topic packed into one ArrayBuffer, to cross between threads by transfer rather than by
 * a structured clone (which would copy every key, value and header into an ArrayBuffer of its own).
 * Header names repeat on every record, so they travel once, in `names`.
 */
export interface RecordWireBatch {
  readonly topic: string;
  readonly count: number;
  readonly names: readonly string[];
  readonly bytes: ArrayBuffer;
}

// partition (int32), offset and timestamp (float64: Kafka offsets and epoch milliseconds are safe integers
// as numbers), key and value (int32 length, -1 for null, then the bytes), header count (int32), then per
// header its name's index (int32) and its value as a length and bytes.
const fixedBytes = 4 + 8 + 8 + 4 + 4 + 4;
const perHeaderBytes = 4 + 4;

export class RecordWireWriter {
  readonly #topic: string;
  #records: ConsumedRecord[] = [];
  #bytes = 0;

  constructor(topic: string) {
    this.#topic = topic;
  }

  get length(): number {
    return this.#records.length;
  }

  /** The size of the batch `take` would make. */
  get bytes(): number {
    return this.#bytes;
  }

  add(record: ConsumedRecord): void {
    let size = fixedBytes + (record.key?.length ?? 0) + (record.value?.length ?? 0);
    for (const name in record.headers) size += perHeaderBytes + (record.headers[name]?.length ?? 0);
    this.#records.push(record);
    this.#bytes += size;
  }

  /** The records added since the last take, packed; the writer starts empty again. */
  take(): RecordWireBatch {
    const bytes = new ArrayBuffer(this.#bytes);
    const view = new DataView(bytes);
    const target = new Uint8Array(bytes);
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    let at = 0;
    const writeBytes = (value: Buffer | null): void => {
      view.setInt32(at, value === null ? -1 : value.length);
      at += 4;
      if (value !== null) {
        target.set(value, at);
        at += value.length;
      }
    };
    for (const record of this.#records) {
      view.setInt32(at, record.partition);
      view.setFloat64(at + 4, record.offset);
      view.setFloat64(at + 12, record.timestamp);
      at += 20;
      writeBytes(record.key);
      writeBytes(record.value);
      const countAt = at;
      at += 4;
      let count = 0;
      for (const name in record.headers) {
        const value = record.headers[name];
        if (value === undefined) continue;
        let index = nameIndex.get(name);
        if (index === undefined) {
          index = names.push(name) - 1;
          nameIndex.set(name, index);
        }
        view.setInt32(at, index);
        at += 4;
        writeBytes(value);
        count += 1;
      }
      view.setInt32(countAt, count);
    }
    const batch = { topic: this.#topic, count: this.#records.length, names, bytes };
    this.#records = [];
    this.#bytes = 0;
    return batch;
  }
}

/** The records of a batch; keys, values and headers are views over its buffer, not copies. */
export const readRecordWire = (batch: RecordWireBatch): ConsumedRecord[] => {
  const view = new DataView(batch.bytes);
  const records: ConsumedRecord[] = new Array(batch.count);
  let at = 0;
  const readBytes = (): Buffer | null => {
    const length = view.getInt32(at);
    at += 4;
    if (length < 0) return null;
    const value = Buffer.from(batch.bytes, at, length);
    at += length;
    return value;
  };
  for (let index = 0; index < batch.count; index += 1) {
    const partition = view.getInt32(at);
    const offset = view.getFloat64(at + 4);
    const timestamp = view.getFloat64(at + 12);
    at += 20;
    const key = readBytes();
    const value = readBytes();
    const count = view.getInt32(at);
    at += 4;
    const headers: Record<string, Buffer> = {};
    for (let header = 0; header < count; header += 1) {
      const name = batch.names[view.getInt32(at)] ?? '';
      at += 4;
      setHeader(headers, name, readBytes() ?? Buffer.alloc(0));
    }
    records[index] = { topic: batch.topic, partition, offset, timestamp, key, value, headers };
  }
  return records;
};
