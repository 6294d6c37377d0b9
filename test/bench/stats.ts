/** Nearest-rank percentile (p in 0..100) of the samples; NaN for an empty list. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const mean = (samples: readonly number[]): number =>
  samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;

/** Rounds to `digits` decimals, keeping JSON figures short. */
export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Records per second, or NaN when nothing was timed. */
export const perSecond = (records: number, elapsedMs: number): number =>
  elapsedMs > 0 ? (records * 1000) / elapsedMs : Number.NaN;

/** The item whose `value` is the median (nearest rank), so its other fields stay consistent with it. */
export const medianBy = <T>(items: readonly T[], value: (item: T) => number): T => {
  const sorted = [...items].sort((a, b) => value(a) - value(b));
  const item = sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)];
  if (item === undefined) throw new Error('medianBy needs at least one item');
  return item;
};
