import type { BatchLatency } from './batch-latency.js';
import type { FunctionBundle } from './bundles.js';
import type { FirstBatch } from './first-batch.js';
import type { IoBound, PerRecord } from './hot-path.js';
import type { KafkajsConsumeResult } from './kafkajs-consume.js';
import type { PipelineThroughput } from './pipeline-throughput.js';
import type { RawBaseline } from './raw-baseline.js';
import type { SdkImport } from './sdk-import.js';
import { round } from './stats.js';
import type { UiFigures } from './ui-figures.js';
import type { Validation } from './validation.js';

export interface BenchMeta {
  readonly kafkaVersion: string;
  readonly brokerOrigin: string;
  readonly orders: number;
  readonly messageBytes: number;
  readonly nodeVersion: string;
  /** The node of the fresh-process figures (`BENCH_NODE`); the bench's own unless set. */
  readonly freshNodeVersion: string;
  readonly cpus: number;
  readonly transientShare: number;
  readonly retry: { readonly baseDelayMs: number; readonly maxDelayMs: number; readonly maxAttempts: number };
  readonly durationS: number;
}

export interface BenchResults {
  readonly meta: BenchMeta;
  /** The median run, and the rate of every run. */
  readonly pipeline: PipelineThroughput;
  readonly pipelineRunsPerSec: readonly number[];
  readonly raw: RawBaseline;
  readonly kafkajs: KafkajsConsumeResult;
  readonly kafkajsRunsPerSec: readonly number[];
  readonly batch: BatchLatency;
  readonly bundles: readonly FunctionBundle[];
  readonly ui: UiFigures;
  // The hot path (README "Hot path, ordering and cold start").
  readonly perRecord: PerRecord;
  readonly ioBound: IoBound;
  readonly batchInfo: BatchLatency & { readonly logBytesPerBatch: number };
  readonly firstBatches: readonly FirstBatch[];
  readonly sdk: SdkImport;
  readonly validation: Validation;
}

const ratio = (numerator: number, denominator: number): number =>
  denominator > 0 ? round(numerator / denominator, 3) : Number.NaN;

/** The machine-readable figures: one flat object, printed as the last line of stdout. */
export const toJson = (results: BenchResults) => {
  const { meta, pipeline, raw, kafkajs, batch, bundles, ui } = results;
  const { perRecord, ioBound, batchInfo, firstBatches, sdk, validation } = results;
  return {
    pipeline_orders_per_s: round(pipeline.ordersPerSecond),
    raw_produce_per_s: round(raw.produce.recordsPerSec),
    raw_consume_per_s: round(raw.consumeFetchPerSec),
    kafkajs_consume_per_s: round(kafkajs.perSecond),
    pipeline_vs_raw: ratio(pipeline.ordersPerSecond, raw.consumeFetchPerSec),
    pipeline_vs_kafkajs: ratio(pipeline.ordersPerSecond, kafkajs.perSecond),
    batch_ms_p50: round(batch.p50),
    batch_ms_p95: round(batch.p95),
    bundle_kb: Object.fromEntries(bundles.map((bundle) => [bundle.name, round(bundle.kb)])),
    cold_init_ms: Object.fromEntries(bundles.map((bundle) => [bundle.name, round(bundle.coldInitMs)])),
    cold_init_cpu_ms: Object.fromEntries(bundles.map((bundle) => [bundle.name, round(bundle.coldInitCpuMs)])),
    ui_refresh_ms_p50: ui.refreshP50 === null ? null : round(ui.refreshP50),
    ui_refresh_ms_p95: ui.refreshP95 === null ? null : round(ui.refreshP95),
    ui_page_kb: ui.pageKb === null ? null : round(ui.pageKb),
    handler_us_per_record: round(perRecord.handlerUs, 2),
    floor_us_per_record: round(perRecord.floorUs, 2),
    handler_vs_floor: ratio(perRecord.handlerUs, perRecord.floorUs),
    first_batch_ms: Object.fromEntries(firstBatches.map((first) => [first.name, round(first.firstBatchMs)])),
    first_failure_batch_ms: Object.fromEntries(
      firstBatches.map((first) => [first.name, round(first.firstFailureBatchMs)]),
    ),
    io_bound_speedup: round(ioBound.speedup, 2),
    batch_ms_p50_info: round(batchInfo.p50),
    sdk_import_ms: { external: round(sdk.externalMs), bundled: round(sdk.bundledMs) },
    package_unpack_ms: Object.fromEntries(
      sdk.variants.map((variant) => [
        variant.name,
        {
          sdk_external: round(variant.unpack.sdkExternal.unpackMs),
          sdk_bundled: round(variant.unpack.sdkBundled.unpackMs),
        },
      ]),
    ),
    package_kb: Object.fromEntries(
      sdk.variants.map((variant) => [
        variant.name,
        {
          sdk_external: round(variant.unpack.sdkExternal.compressedKb),
          sdk_bundled: round(variant.unpack.sdkBundled.compressedKb),
        },
      ]),
    ),
    cold_init_alternatives_ms: Object.fromEntries(
      sdk.variants.map((variant) => [
        variant.name,
        { one_file: round(variant.oneFileMs), sdk_bundled: round(variant.sdkBundledMs) },
      ]),
    ),
    validation_us_per_record: {
      zod3: round(validation.zod3Us, 2),
      zod4: round(validation.zod4Us, 2),
      compiled: round(validation.compiledUs, 2),
    },
    validation_bundle_kb: { zod3: round(validation.zod3Kb), zod4: round(validation.zod4Kb) },
    kafka_version: meta.kafkaVersion,
    orders: meta.orders,
    message_bytes: meta.messageBytes,
    node_version: meta.nodeVersion,
    fresh_process_node_version: meta.freshNodeVersion,
    cpus: meta.cpus,
  };
};

const integer = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
const decimal = (value: number | null, digits = 1) =>
  value === null || !Number.isFinite(value) ? 'null' : value.toFixed(digits);

/** A plain-text table: metric, value, and what exactly was measured. */
export const renderTable = (results: BenchResults): string => {
  const { meta, pipeline, raw, kafkajs, batch, bundles, ui } = results;
  const { perRecord, ioBound, batchInfo, firstBatches, sdk, validation } = results;
  const runs = (rates: readonly number[]) =>
    rates.length > 1 ? `; runs ${rates.map(integer).join(', ')}` : '';
  const rows: Array<[string, string, string]> = [
    [
      'pipeline orders/s',
      integer(pipeline.ordersPerSecond),
      `${pipeline.orders} orders produce→outcome in ${integer(pipeline.elapsedMs)} ms: ${pipeline.processed} processed ` +
        `(${pipeline.processedAfterRetry} after a retry), ${pipeline.deadLettered} dead-lettered${runs(results.pipelineRunsPerSec)}`,
    ],
    [
      'raw produce/s (Java)',
      integer(raw.produce.recordsPerSec),
      `ProducerPerformance acks=all, ${raw.produce.mbPerSec} MB/s`,
    ],
    [
      'raw consume/s (Java)',
      integer(raw.consumeFetchPerSec),
      `ConsumerPerformance fetch rate; ${integer(raw.consume.recordsPerSec)}/s with its ${integer(raw.consumeRebalanceMs)} ms group join${runs(raw.consumeRunsPerSec)}`,
    ],
    [
      'kafkajs consume/s',
      integer(kafkajs.perSecond),
      `bare consumer group, no-op per message, ${integer(kafkajs.elapsedMs)} ms after a ${integer(kafkajs.joinMs)} ms join${runs(results.kafkajsRunsPerSec)}`,
    ],
    ['pipeline / raw consume', decimal(ratio(pipeline.ordersPerSecond, raw.consumeFetchPerSec), 3), ''],
    ['pipeline / kafkajs', decimal(ratio(pipeline.ordersPerSecond, kafkajs.perSecond), 3), ''],
    [
      'batch ms p50 / p95',
      `${decimal(batch.p50)} / ${decimal(batch.p95)}`,
      `main handler, ${batch.records} records with ${batch.failures} transient failures, ${batch.samplesMs.length} samples`,
    ],
    ...bundles.map((bundle): [string, string, string] => [
      `${bundle.name} bundle / cold init`,
      `${decimal(bundle.kb)} KB / ${decimal(bundle.coldInitMs)} ms`,
      `${bundle.entry}, median of ${bundle.coldInitSamplesMs.length} fresh processes; CPU ${decimal(bundle.coldInitCpuMs)} ms`,
    ]),
    [
      'ui refresh ms p50 / p95',
      `${decimal(ui.refreshP50)} / ${decimal(ui.refreshP95)}`,
      ui.note ?? 'test/bench/ui-refresh.ts',
    ],
    ['ui page KB', decimal(ui.pageKb), ui.note === undefined ? '' : 'see above'],
    [
      'handler µs / record',
      decimal(perRecord.handlerUs, 2),
      `warm main handler, ${perRecord.records} records all succeed (no publish), median of ${perRecord.samples}`,
    ],
    ['floor µs / record', decimal(perRecord.floorUs, 2), 'base64 + JSON.parse of the same values, bare loop'],
    ['handler / floor', decimal(ratio(perRecord.handlerUs, perRecord.floorUs), 2), ''],
    ...firstBatches.map((first): [string, string, string] => [
      `${first.name} first batch / first failure batch`,
      `${decimal(first.firstBatchMs)} / ${decimal(first.firstFailureBatchMs)} ms`,
      `first invocation of a fresh process: ${first.records} records all succeed / ${first.failures} published (connect included); median of ${first.runs}`,
    ]),
    [
      'io-bound speedup',
      decimal(ioBound.speedup, 2),
      `${ioBound.records} records, ${ioBound.keys} keys, ${ioBound.waitMs} ms wait each: ${decimal(ioBound.sequentialMs)} ms at concurrency 1, ${decimal(ioBound.concurrentMs)} ms at ${ioBound.concurrency}`,
    ],
    [
      'batch ms p50 / p95 (INFO)',
      `${decimal(batchInfo.p50)} / ${decimal(batchInfo.p95)}`,
      `as batch ms, logging at INFO: ${integer(batchInfo.logBytesPerBatch)} B of log lines a batch (built, not written)`,
    ],
    [
      'sdk import external / bundled',
      `${decimal(sdk.externalMs)} / ${decimal(sdk.bundledMs)} ms`,
      `Secrets Manager client import + new client, fresh process; bundled ${decimal(sdk.bundledKb)} KB minified`,
    ],
    ...sdk.variants.map((variant): [string, string, string] => [
      `${variant.name} cold init, one file / SDK bundled`,
      `${decimal(variant.oneFileMs)} / ${decimal(variant.sdkBundledMs)} ms`,
      'comparison only: no splitting (kafkajs parsed at start) / split with the SDK bundled',
    ]),
    ...sdk.variants.map((variant): [string, string, string] => [
      `${variant.name} unpack, SDK external / bundled`,
      `${decimal(variant.unpack.sdkExternal.unpackMs)} / ${decimal(variant.unpack.sdkBundled.unpackMs)} ms`,
      `every cold start: the package's files inflated and written (${decimal(variant.unpack.sdkExternal.compressedKb)} / ${decimal(variant.unpack.sdkBundled.compressedKb)} KB deflated); download not timed`,
    ]),
    [
      'validation µs / record',
      `${decimal(validation.zod3Us, 2)} / ${decimal(validation.zod4Us, 2)} / ${decimal(validation.compiledUs, 2)}`,
      `zod 3 / zod 4 / the compiled schema (the handler's), ${validation.records} parsed bench orders, median round`,
    ],
    [
      'validation bundle KB',
      `${decimal(validation.zod3Kb)} / ${decimal(validation.zod4Kb)}`,
      'the order schema and its validator, bundled and minified: zod 3 (with the compiler) / zod 4',
    ],
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const footer = [
    `Kafka ${meta.kafkaVersion} (${meta.brokerOrigin} broker), Node ${meta.nodeVersion}, ${meta.cpus} CPUs; ` +
      `${meta.orders} orders of ${meta.messageBytes} B on average; bench took ${meta.durationS.toFixed(0)} s.`,
    `Handlers log at ERROR (POWERTOOLS_LOG_LEVEL=ERROR) with metrics off (POWERTOOLS_METRICS_DISABLED=true), ` +
      'so logging does not dominate.',
    `${Math.round(meta.transientShare * 100)}% of pipeline orders fail once (simulate.transientFailures: 1); ` +
      `RETRY_BASE_DELAY_MS=${meta.retry.baseDelayMs}, RETRY_MAX_DELAY_MS=${meta.retry.maxDelayMs}, ` +
      `RETRY_MAX_ATTEMPTS=${meta.retry.maxAttempts}.`,
    `Throughput rows are the median of ${results.pipelineRunsPerSec.length} runs. ` +
      'Raw and kafkajs figures read one topic filled by ProducerPerformance with the same count and size; ' +
      'consume rates exclude the group join.',
    `Bundles: esbuild with serverless.yml custom.esbuild settings; cold init = await import() in a fresh node ${meta.freshNodeVersion}` +
      `${meta.freshNodeVersion === meta.nodeVersion ? '' : ' (BENCH_NODE)'}.`,
  ];
  return [
    line(['metric', 'value', 'detail']),
    line(['------', '-----', '------']),
    ...rows.map(line),
    '',
    ...footer,
  ].join('\n');
};
