import { afterEach, describe, expect, inject, it } from 'vitest';
import type { KafkaLambdaHandler } from '../../infra/local/runner/event-source-runner.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { collectKeys, type KeyCollector } from './helpers/key-collector.js';
import { orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers);
const orderCount = 10_000;

type Expected = 'processed' | 'dead-lettered';

/** A mix of every path: 75% clean, 10% transient then fine, 5% exhausted, 5% permanent, 5% poison. */
const planOrder = (index: number) => {
  const orderId = `c-${index}`;
  switch (index % 20) {
    case 0:
      return {
        expected: 'dead-lettered' as Expected,
        message: orderMessage(orderId, { simulate: { permanentFailure: true } }),
      };
    case 1:
      return {
        expected: 'dead-lettered' as Expected,
        message: orderMessage(orderId, { simulate: { transientFailures: 99 } }),
      };
    case 2:
    case 3:
      return {
        expected: 'processed' as Expected,
        message: orderMessage(orderId, { simulate: { transientFailures: 1 } }),
      };
    case 4:
      return {
        expected: 'dead-lettered' as Expected,
        message: { key: Buffer.from(orderId), value: Buffer.from(`{"orderId":"${orderId}"`) },
      };
    default:
      return { expected: 'processed' as Expected, message: orderMessage(orderId) };
  }
};

/**
 * Fails every seventh invocation after its work is done and published, as a Lambda that times out
 * at the very end would: the batch is delivered again, which is where duplicates come from.
 */
const crashAfterSuccessEvery = (n: number) => {
  let invocations = 0;
  return (handler: KafkaLambdaHandler): KafkaLambdaHandler =>
    async (event, context) => {
      const result = await handler(event, context);
      invocations += 1;
      if (invocations % n === 0) throw new Error('simulated crash after the batch was published');
      return result;
    };
};

describe('conservation', () => {
  let pipeline: Pipeline | undefined;
  let dlqReader: KeyCollector | undefined;

  afterEach(async () => {
    await dlqReader?.stop();
    await pipeline?.stop();
  });

  it(`ends each of ${orderCount} orders in exactly one conclusive outcome`, async () => {
    // Prepare
    pipeline = await startPipeline({
      brokers,
      wrapHandler: crashAfterSuccessEvery(7),
      retryBackoffMs: { initial: 50, max: 200 },
    });
    const plan = Array.from({ length: orderCount }, (_, index) => planOrder(index));
    dlqReader = await collectKeys(kafka, pipeline.topics.dlq);
    const deadLettered = dlqReader.counts;

    // Act
    for (let start = 0; start < plan.length; start += 1_000) {
      await pipeline.produce(plan.slice(start, start + 1_000).map((entry) => entry.message));
    }
    const processedIds = () => new Set(pipeline?.processed.map((call) => call.orderId));
    await waitFor(() => processedIds().size + deadLettered.size >= orderCount, {
      timeoutMs: 240_000,
      intervalMs: 500,
      description: `${orderCount} conclusive outcomes`,
    });

    // Assess
    const processed = processedIds();
    const wrong = plan
      .map((entry, index) => ({ ...entry, orderId: `c-${index}` }))
      .filter(({ orderId, expected }) => {
        const outcomes = [
          processed.has(orderId) && 'processed',
          deadLettered.has(orderId) && 'dead-lettered',
        ].filter(Boolean);
        return outcomes.length !== 1 || outcomes[0] !== expected;
      });
    const processedDuplicates = pipeline.processed.length - processed.size;
    const dlqDuplicates = [...deadLettered.values()].reduce((sum, count) => sum + count - 1, 0);
    process.stderr.write(
      `[conservation] ${orderCount} orders: ${processed.size} processed, ${deadLettered.size} dead-lettered; ` +
        `duplicates: ${processedDuplicates} processed again, ${dlqDuplicates} dead-lettered again\n`,
    );
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(processed.size + deadLettered.size).toBe(orderCount);
  });
});
