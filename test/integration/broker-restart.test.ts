import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTestKafka } from './helpers/kafka-client.js';
import { collectKeys, type KeyCollector } from './helpers/key-collector.js';
import { orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { type RestartableBroker, restartableBroker } from './helpers/restartable-broker.js';
import { waitFor } from './helpers/wait-for.js';

const planned = (index: number) =>
  index % 4 === 0
    ? orderMessage(`r-${index}`, { simulate: { permanentFailure: true } })
    : index % 4 === 1
      ? orderMessage(`r-${index}`, { simulate: { transientFailures: 1 } })
      : orderMessage(`r-${index}`);

describe('a broker restart', () => {
  let pipeline: Pipeline | undefined;
  let dlqReader: KeyCollector | undefined;
  let broker: RestartableBroker | undefined;

  afterEach(async () => {
    await dlqReader?.stop();
    await pipeline?.stop();
    await broker?.close();
  });

  // Runs in every suite: on the suite's broker when this run started it, else on a broker of its own.
  it('loses no order when the broker stops mid-flow and comes back', async () => {
    // Prepare
    broker = await restartableBroker({
      bootstrapServers: inject('kafkaBrokers'),
      restartable: inject('kafkaRestartable'),
    });
    const brokers = broker.bootstrapServers;
    pipeline = await startPipeline({ brokers, retryBackoffMs: { initial: 250, max: 2_000 } });
    const orders = Array.from({ length: 400 }, (_, index) => planned(index));
    dlqReader = await collectKeys(createTestKafka(brokers, { quiet: true }), pipeline.topics.dlq);
    const deadLettered = dlqReader.counts;

    // Act: the first half flows, the broker stops while it is being processed, the second half follows the restart
    await pipeline.produce(orders.slice(0, 200));
    await waitFor(() => (pipeline?.calls.length ?? 0) > 0, {
      timeoutMs: 30_000,
      description: 'processing started',
    });
    const stoppedPid = await broker.stop();
    const restarted = await broker.start();
    await pipeline.produce(orders.slice(200));
    const processed = () => new Set(pipeline?.processed.map((call) => call.orderId));
    await waitFor(() => processed().size + deadLettered.size >= orders.length, {
      timeoutMs: 180_000,
      intervalMs: 500,
      description: `${orders.length} conclusive outcomes after the restart`,
    });

    // Assess
    expect(stoppedPid).toBeDefined();
    expect(restarted.pid).not.toBe(stoppedPid);
    const ids = orders.map((message) => message.key.toString());
    const missing = ids.filter((id) => !processed().has(id) && !deadLettered.has(id));
    const both = ids.filter((id) => processed().has(id) && deadLettered.has(id));
    expect(missing).toEqual([]);
    expect(both).toEqual([]);
    expect([...deadLettered.keys()].sort()).toEqual(ids.filter((_, index) => index % 4 === 0).sort());
  });
});
