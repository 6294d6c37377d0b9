import { type PerfResult, runConsumerPerf, runProducerPerf } from './raw-kafka-perf.js';
import { medianBy } from './stats.js';

export interface RawBaseline {
  readonly topic: string;
  readonly produce: PerfResult;
  readonly consume: PerfResult;
  /** ConsumerPerformance's `fetch.nMsg.sec`: the rate after the group joined, comparable to the others. */
  readonly consumeFetchPerSec: number;
  readonly consumeRebalanceMs: number;
  /** The fetch rate of every ConsumerPerformance run; the median run is the one reported. */
  readonly consumeRunsPerSec: readonly number[];
}

/**
 * ConsumerPerformance's CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
 * nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec. `nMsg.sec` counts the
 * group join too, which the pipeline and kafkajs figures leave out, so the fetch columns are used.
 */
const fetchColumns = (raw: string): { rebalanceMs: number; fetchPerSec: number } => {
  const fields = raw.split(',').map((field) => Number(field.trim()));
  return { rebalanceMs: fields[6] ?? Number.NaN, fetchPerSec: fields[9] ?? Number.NaN };
};

/**
 * Fills a fresh topic with Kafka's ProducerPerformance (acks=all), then reads it back with
 * ConsumerPerformance, `repeats` times in fresh groups, keeping the median run. The filled topic is returned so the kafkajs baseline reads the very same records.
 */
export const measureRawBaseline = async (options: {
  brokers: string;
  topic: string;
  records: number;
  recordSize: number;
  repeats: number;
}): Promise<RawBaseline> => {
  const produce = await runProducerPerf({
    brokers: options.brokers,
    topic: options.topic,
    numRecords: options.records,
    recordSize: options.recordSize,
    partitions: 3,
  });
  const runs: Array<{ consume: PerfResult; rebalanceMs: number; fetchPerSec: number }> = [];
  for (let run = 0; run < options.repeats; run += 1) {
    const consume = await runConsumerPerf({
      brokers: options.brokers,
      topic: options.topic,
      numRecords: options.records,
    });
    const { rebalanceMs, fetchPerSec } = fetchColumns(consume.raw);
    runs.push({
      consume,
      rebalanceMs,
      fetchPerSec: Number.isFinite(fetchPerSec) ? fetchPerSec : consume.recordsPerSec,
    });
  }
  const median = medianBy(runs, (run) => run.fetchPerSec);
  return {
    topic: options.topic,
    produce,
    consume: median.consume,
    consumeFetchPerSec: median.fetchPerSec,
    consumeRebalanceMs: median.rebalanceMs,
    consumeRunsPerSec: runs.map((run) => run.fetchPerSec),
  };
};
