import type { LagSample, RatesResponse } from '../contract/operator.js';
import type { Offsets } from './ports.js';

const sum = (offsets: Readonly<Offsets>): number =>
  Object.values(offsets).reduce((total, value) => total + value, 0);

/**
 * Records per bucket into a topic, from the offsets at each bucket boundary (the broker's offset-by-
 * time lookup): the difference between two boundaries is what arrived in between. `boundaries` has
 * one more entry than there are buckets, oldest first; the last is the end offsets now.
 */
export const ratesFromOffsets = (boundaries: ReadonlyArray<Readonly<Offsets>>): number[] => {
  const counts: number[] = [];
  for (let index = 1; index < boundaries.length; index += 1) {
    counts.push(Math.max(0, sum(boundaries[index] ?? {}) - sum(boundaries[index - 1] ?? {})));
  }
  return counts;
};

export const RateWindow = { buckets: 60, bucketMs: 60_000 } as const;

/** The bucket boundaries of the last hour, aligned to whole minutes so consecutive calls agree. */
export const rateBoundaries = (now: number, window = RateWindow): number[] => {
  const end = Math.floor(now / window.bucketMs) * window.bucketMs;
  const start = end - window.buckets * window.bucketMs;
  return Array.from({ length: window.buckets }, (_, index) => start + (index + 1) * window.bucketMs);
};

export const emptyRates = (now: number): RatesResponse => ({
  bucketMs: RateWindow.bucketMs,
  from: rateBoundaries(now)[0] ?? now,
  topics: {},
});

/** Lag of a group on a topic: per partition, end minus committed (or minus the start, never committed). */
export const lagOf = (
  ends: Readonly<Offsets>,
  committed: Readonly<Offsets>,
  starts: Readonly<Offsets>,
): number =>
  Object.entries(ends).reduce(
    (total, [partition, end]) => total + Math.max(0, end - (committed[partition] ?? starts[partition] ?? 0)),
    0,
  );

/** A bounded history of lag samples: the UI charts it; the oldest go first. */
export class LagHistory {
  readonly #samples: LagSample[] = [];

  constructor(private readonly max = 720) {}

  add(sample: LagSample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.max) this.#samples.shift();
  }

  /** A copy: a response must not change after it was returned. */
  all(): readonly LagSample[] {
    return [...this.#samples];
  }
}
