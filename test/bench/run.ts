import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  brokerOptionsFromEnv,
  KAFKA_VERSION,
  type LocalBroker,
  startLocalBroker,
} from '../../infra/local/broker/index.js';
import { applyBenchEnv, benchRetry, readBenchSettings } from './bench-env.js';
import type { KafkajsConsumeResult } from './kafkajs-consume.js';
import { averageValueBytes, benchOrders, transientShare } from './orders.js';
import type { PipelineThroughput } from './pipeline-throughput.js';
import { progress } from './progress.js';
import { renderTable, toJson } from './report.js';
import { medianBy, round } from './stats.js';

// Before any module that loads the handlers' logger or metrics: they read these at import time.
applyBenchEnv();

/** Operator figures (README "Benchmarks"): a 100,000-record DLQ by default, BENCH_DLQ_RECORDS to change. */
const dlqRecords = (): number => Number(process.env.BENCH_DLQ_RECORDS ?? 100_000);

/**
 * `BENCH_ONLY=operator`: the raw produce baseline and the operator figures, nothing else. The JSON line
 * holds the same keys the full run prints for them, so the two compare.
 */
const mainOperatorOnly = async (broker: LocalBroker): Promise<void> => {
  const settings = readBenchSettings();
  const brokers = broker.bootstrapServers;
  const { runProducerPerf } = await import('./raw-kafka-perf.js');
  const { measureOperatorFigures, operatorJson, operatorRows } = await import('./operator-figures.js');
  const messageBytes = averageValueBytes(benchOrders('bench-00000000', settings.orders));
  progress(`raw: ProducerPerformance, ${settings.orders} records of ${messageBytes} B`);
  const produce = await runProducerPerf({
    brokers,
    topic: `bench-raw-${randomUUID().slice(0, 8)}`,
    numRecords: settings.orders,
    recordSize: messageBytes,
    partitions: 3,
  });
  const operator = await measureOperatorFigures({ brokers, records: dlqRecords() });
  process.stdout.write(
    `raw_produce_per_s      ${Math.round(produce.recordsPerSec)}  (${produce.raw})\n${operatorRows(operator).join('\n')}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ raw_produce_per_s: round(produce.recordsPerSec), ...operatorJson(operator, produce.recordsPerSec) })}\n`,
  );
};

const main = async (broker: LocalBroker): Promise<void> => {
  const startedAt = Date.now();
  const settings = readBenchSettings();
  if (settings.only === 'operator') return mainOperatorOnly(broker);
  const brokers = broker.bootstrapServers;
  // Imported only now, after applyBenchEnv(), because they load the handler modules.
  const { buildBundles, measureBundles } = await import('./bundles.js');
  const { measureSdkImport } = await import('./sdk-import.js');
  const { measureValidation } = await import('./validation.js');
  const { measureRawBaseline } = await import('./raw-baseline.js');
  const { measureKafkajsConsume } = await import('./kafkajs-consume.js');
  const { measureBatchLatency, prepareBatchTopics } = await import('./batch-latency.js');
  const { measureFirstBatches } = await import('./first-batch.js');
  const { measureBatchLatencyAtInfo, measureIoBound, measurePerRecord } = await import('./hot-path.js');
  const { measurePipelineThroughput } = await import('./pipeline-throughput.js');
  const { measureUiFigures } = await import('./ui-figures.js');
  const { measureOperatorFigures, operatorJson, operatorRows } = await import('./operator-figures.js');

  progress('bundles: esbuild with the serverless.yml settings');
  const built = await buildBundles();
  try {
    const bundles = await measureBundles(built, { runs: settings.coldInitRuns });
    progress('sdk: Secrets Manager client, external vs bundled');
    const sdk = await measureSdkImport(built, { runs: settings.coldInitRuns });
    progress('validation: zod 3, zod 4 and the compiled order schema');
    const validation = await measureValidation(built);

    // Ids as long as the pipeline's (`bench-<8 hex>-<n>`), so the size is the size the pipeline sends.
    const messageBytes = averageValueBytes(benchOrders('bench-00000000', settings.orders));
    const rawTopic = `bench-raw-${randomUUID().slice(0, 8)}`;
    progress(
      `raw: ProducerPerformance + ConsumerPerformance, ${settings.orders} records of ${messageBytes} B`,
    );
    const raw = await measureRawBaseline({
      brokers,
      topic: rawTopic,
      records: settings.orders,
      recordSize: messageBytes,
      repeats: settings.repeats,
    });

    progress('kafkajs: bare consumer group over the same topic');
    const kafkajsRuns: KafkajsConsumeResult[] = [];
    for (let run = 0; run < settings.repeats; run += 1) {
      kafkajsRuns.push(await measureKafkajsConsume({ brokers, topic: rawTopic, records: settings.orders }));
    }

    // The handler reads its configuration on its first call: the batch topics must be set before.
    const topics = await prepareBatchTopics(brokers);
    const { handler } = await import('../../functions/main-consumer/handler.js');
    const { closeProducer } = await import('../../shared/adapters/producer.js');
    const hot = await (async () => {
      try {
        progress(`batch: main handler, ${settings.batchSamples} batches of 1000 records`);
        const batch = await measureBatchLatency({ brokers, topics, handler, samples: settings.batchSamples });
        progress('hot path: per-record cost against the decode floor');
        const perRecord = await measurePerRecord({
          brokers,
          topics,
          handler,
          samples: settings.batchSamples * 2,
        });
        progress('hot path: I/O-bound batch at concurrency 1 and at the default');
        const ioBound = await measureIoBound({ brokers, topics, runs: settings.repeats });
        progress('hot path: batch with INFO logging');
        const batchInfo = await measureBatchLatencyAtInfo({
          brokers,
          topics,
          samples: settings.batchSamples,
        });
        progress('cold start: first batches of fresh processes');
        const consumers = built.bundles.filter((bundle) => bundle.name !== 'ui');
        const firstBatches = await measureFirstBatches({
          bundles: consumers,
          brokers,
          topics,
          runs: settings.coldInitRuns,
        });
        return { batch, perRecord, ioBound, batchInfo, firstBatches };
      } finally {
        await closeProducer();
      }
    })();

    progress(`pipeline: ${settings.orders} orders through the runner and both handlers`);
    const pipelineRuns: PipelineThroughput[] = [];
    for (let run = 0; run < settings.repeats; run += 1) {
      progress(`pipeline: run ${run + 1} of ${settings.repeats}`);
      pipelineRuns.push(await measurePipelineThroughput({ brokers, orders: settings.orders }));
    }

    progress('ui: test/bench/ui-refresh.ts');
    const ui = await measureUiFigures({ brokers, samples: settings.uiSamples });

    const operator = await measureOperatorFigures({ brokers, records: dlqRecords() });

    const results = {
      meta: {
        kafkaVersion: KAFKA_VERSION,
        brokerOrigin: broker.origin,
        orders: settings.orders,
        messageBytes,
        nodeVersion: process.version,
        freshNodeVersion: settings.freshNodeVersion,
        cpus: os.availableParallelism(),
        transientShare,
        retry: benchRetry,
        durationS: (Date.now() - startedAt) / 1000,
      },
      pipeline: medianBy(pipelineRuns, (run) => run.ordersPerSecond),
      pipelineRunsPerSec: pipelineRuns.map((run) => run.ordersPerSecond),
      raw,
      kafkajs: medianBy(kafkajsRuns, (run) => run.perSecond),
      kafkajsRunsPerSec: kafkajsRuns.map((run) => run.perSecond),
      ...hot,
      bundles,
      sdk,
      validation,
      ui,
    };
    process.stdout.write(`${renderTable(results)}\n${operatorRows(operator).join('\n')}\n`);
    process.stdout.write(
      `${JSON.stringify({ ...toJson(results), ...operatorJson(operator, raw.produce.recordsPerSec) })}\n`,
    );
  } finally {
    await built.remove();
  }
};

progress('broker: starting or reusing the local broker');
const broker = await startLocalBroker(brokerOptionsFromEnv());
progress(`broker: ${broker.origin} at ${broker.bootstrapServers}`);
const stopBroker = () => broker.stop().catch(() => undefined);
process.once('SIGINT', () => {
  void stopBroker().finally(() => process.exit(130));
});
try {
  await main(broker);
} catch (error) {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await stopBroker();
  // Every client is closed above; should a handle still hold the event loop (e.g. one left by
  // ui-refresh.ts), exit anyway rather than hang, and say so.
  setTimeout(() => {
    progress('a handle kept the process alive after the bench; exiting');
    process.exit();
  }, 5_000).unref();
}
