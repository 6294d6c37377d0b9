import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { createLambdaContext } from '../../infra/local/runner/lambda-context.js';
import { buildSelfManagedKafkaEvent } from '../../infra/local/runner/lambda-event.js';
import { loadHandler } from '../../infra/local/runner/load-handler.js';
import { readKafkaEventSources, repoRoot } from '../../infra/local/runner/serverless-functions.js';
import { closeProducer } from '../../shared/adapters/producer.js';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { headerText } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers);
const id = randomUUID().slice(0, 8);
const topics = { orders: `deployed-${id}.v1`, retry: `deployed-${id}.retry`, dlq: `deployed-${id}.dlq` };

/**
 * The entry points serverless.yml deploys, loaded exactly as the local runner loads them and configured
 * only through the environment, as on Lambda (this file runs in its own worker, so the environment it
 * sets is read by the handlers' one-time config).
 */
describe('the deployed handler modules', () => {
  beforeAll(async () => {
    await ensureTopics(brokers, {
      topics: Object.values(topics),
      partitions: 1,
      intakeTopics: [topics.orders],
    });
    Object.assign(process.env, {
      KAFKA_BROKERS: brokers,
      TOPIC_ORDERS: topics.orders,
      TOPIC_RETRY: topics.retry,
      TOPIC_DLQ: topics.dlq,
      RETRY_MAX_ATTEMPTS: '2',
    });
  });

  afterAll(async () => {
    await closeProducer();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) });
    await admin.disconnect();
  });

  it('routes a batch through functions/main-consumer/handler.ts as configured by the environment', async () => {
    // Prepare
    const sources = await readKafkaEventSources(path.join(repoRoot, 'serverless.yml'));
    const main = sources.find((source) => source.functionName === 'mainConsumer');
    if (main === undefined) throw new Error('serverless.yml has no mainConsumer kafka event');
    const handler = await loadHandler(repoRoot, main);
    const message = (offset: number, value: string | null) => ({
      key: Buffer.from(`o-${offset}`),
      value: value === null ? null : Buffer.from(value),
      offset: String(offset),
      timestamp: String(Date.now()),
      headers: {},
      attributes: 0,
      size: undefined,
    });
    const event = buildSelfManagedKafkaEvent(brokers, topics.orders, 0, [
      message(0, '{"orderId":"o-0","amount":1}'),
      message(1, '{"orderId":"o-1","amount":1,"simulate":{"transientFailures":1}}'),
      message(2, null),
    ]);

    // Act
    await handler(event, createLambdaContext(main.functionName, main.timeoutSeconds, main.memorySize));
    const [retried] = await readTopic(kafka, { topic: topics.retry, count: 1, timeoutMs: 15_000 });
    const [dead] = await readTopic(kafka, { topic: topics.dlq, count: 1, timeoutMs: 15_000 });

    // Assess
    expect(retried?.key?.toString()).toBe('o-1');
    expect(headerText(retried?.headers)[FailureHeader.originTopic]).toBe(topics.orders);
    expect(dead?.key?.toString()).toBe('o-2');
    expect(headerText(dead?.headers)[FailureHeader.deadLetterReason]).toBe('null-value');
  });
});
