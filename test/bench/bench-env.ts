import { execFileSync } from 'node:child_process';

// Settings every measured handler runs with. The logger reads its level and the Metrics instance its
// switch when their modules load, so `applyBenchEnv` must run before any handler module is imported.

/** Retry backoff for the bench: small, so a 10% transient share does not turn the run into waiting. */
export const benchRetry = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 } as const;

export const benchEnv = {
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'orders-dlq-bench',
  RETRY_MAX_ATTEMPTS: String(benchRetry.maxAttempts),
  RETRY_BASE_DELAY_MS: String(benchRetry.baseDelayMs),
  RETRY_MAX_DELAY_MS: String(benchRetry.maxDelayMs),
} as const satisfies Record<string, string>;

export const applyBenchEnv = (): void => {
  Object.assign(process.env, benchEnv);
};

const positiveInteger = (name: string, fallback: number): number => {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
};

export interface BenchSettings {
  readonly orders: number;
  readonly batchSamples: number;
  readonly coldInitRuns: number;
  readonly uiSamples: number;
  /** Runs of each throughput measurement; the median run is reported. */
  readonly repeats: number;
  /**
   * `BENCH_ONLY=operator`: only the broker's ProducerPerformance baseline (the denominator of
   * `redrive_vs_raw_produce`) and the operator figures, for iterating on the redrive. Unset: everything.
   */
  readonly only: 'operator' | undefined;
  /** `node --version` of the binary the fresh-process figures run on. */
  readonly freshNodeVersion: string;
}

const onlyFromEnv = (): 'operator' | undefined => {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return undefined;
  if (raw === 'operator') return raw;
  throw new Error(`BENCH_ONLY must be 'operator' or unset, got '${raw}'`);
};

/**
 * `BENCH_NODE`: the node binary of the fresh-process figures (cold init, first batches, SDK import).
 * Lambda's nodejs22.x runs Node 22 while the bench may run on another major; pointing this at a Node 22
 * times the cold start on the runtime's major (README "Benchmarks"). Unset: the bench's own node.
 */
export const freshProcessNode = (): string => process.env.BENCH_NODE?.trim() || process.execPath;

/** The version of `freshProcessNode()`, which also proves that it runs. */
const freshProcessNodeVersion = (): string => {
  const node = freshProcessNode();
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (error) {
    throw new Error(`BENCH_NODE: cannot run '${node}' (${error instanceof Error ? error.message : error})`);
  }
};

/** `BENCH_ORDERS` (default 20,000), `BENCH_BATCH_SAMPLES` (15), `BENCH_COLD_RUNS` (5), `BENCH_UI_SAMPLES` (20),
 * `BENCH_REPEATS` (3), `BENCH_ONLY` (unset, or `operator`), `BENCH_NODE` (see `freshProcessNode`). */
export const readBenchSettings = (): BenchSettings => ({
  orders: positiveInteger('BENCH_ORDERS', 20_000),
  batchSamples: positiveInteger('BENCH_BATCH_SAMPLES', 15),
  coldInitRuns: positiveInteger('BENCH_COLD_RUNS', 5),
  uiSamples: positiveInteger('BENCH_UI_SAMPLES', 20),
  repeats: positiveInteger('BENCH_REPEATS', 3),
  only: onlyFromEnv(),
  freshNodeVersion: freshProcessNodeVersion(),
});
