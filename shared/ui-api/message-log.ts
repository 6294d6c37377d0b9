import type { ConsumedRecord } from '../domain/kafka-event.js';

/** Per topic-partition offsets: the next offset a reader has not seen yet. */
export type PartitionOffsets = Readonly<Record<string, number>>;

export interface LogLimits {
  /** Records kept per topic; the oldest go first. */
  readonly maxRecords: number;
  /** Bytes (keys, values and headers) kept per topic, so a few huge records cannot exhaust memory. */
  readonly maxBytes: number;
}

const sizeOf = (record: ConsumedRecord): number =>
  (record.key?.byteLength ?? 0) +
  (record.value?.byteLength ?? 0) +
  Object.entries(record.headers).reduce((sum, [name, value]) => sum + name.length + value.byteLength, 0);

/**
 * The latest records of one topic, bounded in count and bytes, plus the position reached in each
 * partition. A record at or below a position already seen is ignored, so a consumer that re-reads
 * after a rebalance or a seek never duplicates rows.
 */
export class MessageLog {
  readonly #limits: LogLimits;
  readonly #records: ConsumedRecord[] = [];
  readonly #next = new Map<number, number>();
  #bytes = 0;

  constructor(limits: LogLimits) {
    this.#limits = limits;
  }

  /** Adds a record; returns false when it was already seen. */
  add(record: ConsumedRecord): boolean {
    if (record.offset < (this.#next.get(record.partition) ?? 0)) return false;
    this.#next.set(record.partition, record.offset + 1);
    this.#records.push(record);
    this.#bytes += sizeOf(record);
    while (
      this.#records.length > this.#limits.maxRecords ||
      (this.#bytes > this.#limits.maxBytes && this.#records.length > 1)
    ) {
      const dropped = this.#records.shift();
      if (dropped) this.#bytes -= sizeOf(dropped);
    }
    return true;
  }

  /** Marks a partition as read up to `offset` (exclusive) without a record, e.g. after a seek. */
  skipTo(partition: number, offset: number): void {
    if (offset > (this.#next.get(partition) ?? 0)) this.#next.set(partition, offset);
  }

  /** The next unseen offset of every partition read so far. */
  positions(): PartitionOffsets {
    return Object.fromEntries([...this.#next].map(([partition, offset]) => [String(partition), offset]));
  }

  get size(): number {
    return this.#records.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Records newer than `cursor`, newest first, at most `limit`. Without a cursor, the latest `limit`.
   * A partition the cursor does not name is new to the client: all of it counts as newer.
   */
  after(cursor: PartitionOffsets | undefined, limit: number): ConsumedRecord[] {
    const newer: ConsumedRecord[] = [];
    for (let at = this.#records.length - 1; at >= 0 && newer.length < limit; at -= 1) {
      const record = this.#records[at] as ConsumedRecord;
      if (cursor === undefined || record.offset >= (cursor[String(record.partition)] ?? 0))
        newer.push(record);
    }
    return newer;
  }

  find(partition: number, offset: number): ConsumedRecord | undefined {
    return this.#records.find((record) => record.partition === partition && record.offset === offset);
  }

  /** Every record held, oldest first. */
  all(): readonly ConsumedRecord[] {
    return this.#records;
  }
}

/** Whether `positions` has reached every end offset in `ends` (a partition with no records is at 0). */
export const caughtUp = (
  positions: PartitionOffsets,
  ends: PartitionOffsets,
  starts?: PartitionOffsets,
): boolean =>
  Object.entries(ends).every(
    ([partition, end]) => Math.max(positions[partition] ?? 0, starts?.[partition] ?? 0) >= end,
  );
