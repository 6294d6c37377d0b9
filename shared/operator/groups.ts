import type { Trend } from '../contract/operator.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { type Fingerprint, fingerprintRecord } from './fingerprint.js';

export interface GroupTally {
  readonly key: Fingerprint;
  count: number;
  redriven: number;
  firstSeen: number;
  lastSeen: number;
  sample: ConsumedRecord;
  /** Timestamps are bucketed at the end, once the time span is known; kept here as per-minute counts. */
  readonly perMinute: Map<number, number>;
}

const minute = 60_000;

/**
 * Groups DLQ records by failure fingerprint as they stream past. Memory grows with the number of
 * distinct fingerprints and of minutes spanned, never with the number of records.
 */
export class GroupAccumulator {
  readonly #groups = new Map<string, GroupTally>();
  total = 0;

  add(record: ConsumedRecord, redriven: boolean): void {
    const key = fingerprintRecord(record);
    this.total += 1;
    let tally = this.#groups.get(key.fingerprint);
    if (tally === undefined) {
      tally = {
        key,
        count: 0,
        redriven: 0,
        firstSeen: record.timestamp,
        lastSeen: record.timestamp,
        sample: record,
        perMinute: new Map(),
      };
      this.#groups.set(key.fingerprint, tally);
    }
    tally.count += 1;
    if (redriven) tally.redriven += 1;
    if (record.timestamp < tally.firstSeen) tally.firstSeen = record.timestamp;
    if (record.timestamp >= tally.lastSeen) {
      tally.lastSeen = record.timestamp;
      // The newest record is the most useful sample during an incident.
      tally.sample = record;
    }
    const at = Math.floor(record.timestamp / minute);
    tally.perMinute.set(at, (tally.perMinute.get(at) ?? 0) + 1);
  }

  /** Groups, largest first. */
  groups(): GroupTally[] {
    return [...this.#groups.values()].sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen);
  }
}

/**
 * A group's trend: `buckets` equal buckets spanning `[from, to)` (the whole result's time span, so
 * every group's chart shares one axis), each at least a minute wide.
 */
export const trendOf = (tally: GroupTally, from: number, to: number, buckets: number): Trend => {
  const start = Math.floor(from / minute) * minute;
  const span = Math.max(minute, to - start + 1);
  const bucketMs = Math.max(minute, Math.ceil(span / buckets / minute) * minute);
  const counts = new Array<number>(buckets).fill(0);
  for (const [at, count] of tally.perMinute) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor((at * minute - start) / bucketMs)));
    counts[index] = (counts[index] ?? 0) + count;
  }
  return { bucketMs, from: start, counts };
};
