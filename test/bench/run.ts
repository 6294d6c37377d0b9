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
import { medianBy } from './stats.js';

// Before any module that loads the handlers' logger or metrics: they read these at import time.
applyBenchEnv();

const main = async (broker: LocalBroker): Promise<void> => {
  const startedAt = Date.now();
  const settings = readBenchSettings();
  const brokers = broker.bootstrapServers;
  // Imported only now, after applyBenchEnv(), because they load the handler modules.
  const { measureBundles } = await import('./bundles.js');
  const { measureRawBaseline } = await import('./raw-baseline.js');
  const { measureKafkajsConsume } = await import('./kafkajs-consume.js');
  const { measureBatchLatency } = await import('./batch-latency.js');
  const { measurePipelineThroughput } = await import('./pipeline-throughput.js');
  const { measureUiFigures } = await import('./ui-figures.js');
  const { measureOperatorFigures, operatorJson, operatorRows } = await import('./operator-figures.js');

  progress('bundles: esbuild with the serverless.yml settings');
  const bundles = await measureBundles({ runs: settings.coldInitRuns });

  // Ids as long as the pipeline's (`bench-<8 hex>-<n>`), so the size is the size the pipeline sends.
  const messageBytes = averageValueBytes(benchOrders('bench-00000000', settings.orders));
  const rawTopic = `bench-raw-${randomUUID().slice(0, 8)}`;
  progress(`raw: ProducerPerformance + ConsumerPerformance, ${settings.orders} records of ${messageBytes} B`);
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

  progress(`batch: main handler, ${settings.batchSamples} batches of 1000 records`);
  const batch = await measureBatchLatency({ brokers, samples: settings.batchSamples });

  progress(`pipeline: ${settings.orders} orders through the runner and both handlers`);
  const pipelineRuns: PipelineThroughput[] = [];
  for (let run = 0; run < settings.repeats; run += 1) {
    progress(`pipeline: run ${run + 1} of ${settings.repeats}`);
    pipelineRuns.push(await measurePipelineThroughput({ brokers, orders: settings.orders }));
  }

  progress('ui: test/bench/ui-refresh.ts');
  const ui = await measureUiFigures({ brokers, samples: settings.uiSamples });

  // Operator figures (README "Benchmarks"): a 100,000-record DLQ by default, BENCH_DLQ_RECORDS to change.
  const operator = await measureOperatorFigures({
    brokers,
    records: Number(process.env.BENCH_DLQ_RECORDS ?? 100_000),
  });

  const results = {
    meta: {
      kafkaVersion: KAFKA_VERSION,
      brokerOrigin: broker.origin,
      orders: settings.orders,
      messageBytes,
      nodeVersion: process.version,
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
    batch,
    bundles,
    ui,
  };
  process.stdout.write(`${renderTable(results)}\n${operatorRows(operator).join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({ ...toJson(results), ...operatorJson(operator, raw.produce.recordsPerSec) })}\n`,
  );
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
