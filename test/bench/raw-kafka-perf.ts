import { ensureTopics, runKafkaTool } from '../../infra/local/broker/index.js';

// The raw-broker baseline: Kafka's own Java perf tools, from the same jars as the broker, so a kafkajs or
// Lambda-runner figure can be read against what the broker itself sustains on this machine.

export interface ProducerPerfOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly numRecords: number;
  readonly recordSize: number;
  /** Partitions if the topic has to be created. Default 3, like the order topics. */
  readonly partitions?: number;
}

export interface ConsumerPerfOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly numRecords: number;
}

export interface PerfResult {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  /** The tool's summary line, verbatim, for the bench report. */
  readonly raw: string;
}

// "100000 records sent, 51282.051282 records/sec (4.89 MB/sec), 3.21 ms avg latency, ..."
const PRODUCER_SUMMARY = /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/;

/** Runs `ProducerPerformance` with acks=all (the setting the retry path relies on) at unthrottled rate. */
export const runProducerPerf = async (options: ProducerPerfOptions): Promise<PerfResult> => {
  await ensureTopics(options.brokers, { topics: [options.topic], partitions: options.partitions ?? 3 });
  const { lines } = await runKafkaTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    options.topic,
    '--num-records',
    String(options.numRecords),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.brokers}`,
    'acks=all',
  ]);
  // The tool prints progress lines every 5 s; the last line that matches is the final summary.
  const summary = lines.filter((line) => PRODUCER_SUMMARY.test(line)).at(-1);
  const match = summary === undefined ? null : PRODUCER_SUMMARY.exec(summary);
  if (summary === undefined || match === null) {
    throw new Error(`ProducerPerformance printed no summary:\n${lines.slice(-20).join('\n')}`);
  }
  return {
    records: Number(match[1]),
    recordsPerSec: Number(match[2]),
    mbPerSec: Number(match[3]),
    raw: summary,
  };
};

/**
 * Runs `ConsumerPerformance` from the earliest offset in a fresh group and parses its CSV line:
 * start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
 */
export const runConsumerPerf = async (options: ConsumerPerfOptions): Promise<PerfResult> => {
  const { lines } = await runKafkaTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    options.brokers,
    '--topic',
    options.topic,
    '--messages',
    String(options.numRecords),
    '--timeout',
    '60000',
  ]);
  const headerIndex = lines.findIndex((line) => line.startsWith('start.time'));
  const raw = headerIndex >= 0 ? lines[headerIndex + 1] : undefined;
  const fields = raw?.split(',').map((field) => field.trim());
  const mbPerSec = Number(fields?.[3]);
  const records = Number(fields?.[4]);
  const recordsPerSec = Number(fields?.[5]);
  if (raw === undefined || [mbPerSec, records, recordsPerSec].some(Number.isNaN)) {
    throw new Error(`ConsumerPerformance printed no result line:\n${lines.slice(-20).join('\n')}`);
  }
  return { records, recordsPerSec, mbPerSec, raw };
};
