import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { ensureTopics, type SaslSslEndpoint } from '../../../infra/local/broker/index.js';
import { KafkaUser } from '../../../infra/local/broker/kafka-acls.js';
import {
  type EventSourceRunner,
  type KafkaLambdaHandler,
  startEventSourceRunner,
} from '../../../infra/local/runner/event-source-runner.js';
import { readKafkaEventSources, repoRoot } from '../../../infra/local/runner/serverless-functions.js';
import { type AppConfig, readConfig } from '../../../shared/adapters/config.js';
import { resolveKafkaConfig } from '../../../shared/adapters/kafka-connection.js';
import { closeProducer, publishAll } from '../../../shared/adapters/producer.js';
import { createConsumerHandler } from '../../../shared/consumer/consumer-handler.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import type { Order } from '../../../shared/domain/order-schema.js';
import { type ProcessingContext, processOrder } from '../../../shared/domain/process-order.js';
import type { Topics } from '../../../shared/domain/topics.js';
import { type AclWorld, aclWorldNames, grantAclWorld } from './acl-world.js';
import { createTestKafka } from './kafka-client.js';

/** One successful processing call, as the business step saw it. */
export interface ProcessedCall {
  readonly orderId: string;
  readonly attempt: number;
  readonly eventId: string;
  readonly at: number;
}

export interface PipelineOptions {
  readonly brokers: string;
  /**
   * Run every client through the SASL_SSL listener instead, each as its own user under the contract's ACLs
   * (bound to this pipeline's topics and groups): the runners as orders-esm, the handlers' re-publishes as
   * orders-producer, and `produce` as orders-ui.
   */
  readonly saslSsl?: SaslSslEndpoint;
  readonly env?: Record<string, string>;
  /** Topics to leave uncreated, to provoke a failed re-publish. */
  readonly skipTopics?: ReadonlyArray<keyof Topics>;
  readonly retryBackoffMs?: { initial: number; max: number };
  /** Wraps each consumer's handler, e.g. to make an invocation fail after its work is done. */
  readonly wrapHandler?: (handler: KafkaLambdaHandler, role: 'main' | 'retry') => KafkaLambdaHandler;
}

export interface Pipeline {
  readonly topics: Topics;
  readonly config: AppConfig;
  /** Successful business-step calls, in order. */
  readonly processed: ProcessedCall[];
  /** Every call, successful or not, with its start time. */
  readonly calls: ProcessedCall[];
  produce(
    messages: ReadonlyArray<
      Omit<OutboundMessage, 'topic' | 'headers'> & { headers?: Record<string, Buffer> }
    >,
    topic?: string,
  ): Promise<void>;
  stop(): Promise<void>;
}

const deleteTopics = async (brokers: string, topics: readonly string[]): Promise<void> => {
  const admin = createTestKafka(brokers, { clientId: 'pipeline-cleanup', quiet: true }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: topics.filter((topic) => existing.has(topic)) });
  } finally {
    await admin.disconnect();
  }
};

const quietLog = { info: () => undefined, warn: () => undefined };

/**
 * A whole pipeline in its own world: fresh topics and consumer groups, both real handlers behind the
 * real local event-source runner, with the mappings read from serverless.yml.
 */
export const startPipeline = async (options: PipelineOptions): Promise<Pipeline> => {
  const id = randomUUID().slice(0, 8);
  const topics: Topics = { orders: `orders-${id}.v1`, retry: `orders-${id}.retry`, dlq: `orders-${id}.dlq` };
  const toCreate = (Object.keys(topics) as Array<keyof Topics>)
    .filter((role) => !options.skipTopics?.includes(role))
    .map((role) => topics[role]);
  await ensureTopics(options.brokers, { topics: toCreate, partitions: 3, intakeTopics: [topics.orders] });

  const env: Record<string, string> = {
    KAFKA_BROKERS: options.saslSsl?.bootstrapServers ?? options.brokers,
    TOPIC_ORDERS: topics.orders,
    TOPIC_RETRY: topics.retry,
    TOPIC_DLQ: topics.dlq,
    RETRY_MAX_ATTEMPTS: '3',
    RETRY_BASE_DELAY_MS: '100',
    RETRY_MAX_DELAY_MS: '400',
    ...options.env,
  };
  // Each client role's configuration: the same environment, with that role's user when over SASL_SSL.
  const plaintextConfig = readConfig(env);
  let configFor: (user: KafkaUser) => AppConfig = () => plaintextConfig;
  let world: AclWorld | undefined;
  if (options.saslSsl) {
    const { users } = options.saslSsl;
    const caFile = path.join(os.tmpdir(), `kafka-ca-${id}.pem`);
    await writeFile(caFile, options.saslSsl.caPem);
    Object.assign(env, { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_CA_PEM_FILE: caFile });
    configFor = (user) =>
      readConfig({
        ...env,
        KAFKA_SASL_USERNAME: users[user].username,
        KAFKA_SASL_PASSWORD: users[user].password,
      });
    world = await grantAclWorld(
      createTestKafka(options.brokers, { clientId: 'pipeline-acls' }),
      aclWorldNames({ ...topics, redrives: `${topics.dlq}.redrives` }, id),
    );
  }
  const config = configFor(KafkaUser.producer);
  const intakeConfig = configFor(KafkaUser.ui);
  const kafka: KafkaConfig = await resolveKafkaConfig(configFor(KafkaUser.esm));

  const processed: ProcessedCall[] = [];
  const calls: ProcessedCall[] = [];
  const recordingProcessOrder = async (order: Order, context: ProcessingContext) => {
    const call = {
      orderId: order.orderId,
      attempt: context.attempt,
      eventId: context.eventId,
      at: Date.now(),
    };
    calls.push(call);
    await processOrder(order, context);
    processed.push(call);
  };

  const sources = await readKafkaEventSources(path.join(repoRoot, 'serverless.yml'));
  const runners: EventSourceRunner[] = [];
  for (const source of sources) {
    const role = source.functionName === 'retryConsumer' ? 'retry' : 'main';
    const handler: KafkaLambdaHandler = createConsumerHandler({
      role,
      config,
      processOrder: recordingProcessOrder,
    });
    runners.push(
      await startEventSourceRunner({
        source: {
          ...source,
          topic: role === 'retry' ? topics.retry : topics.orders,
          consumerGroupId: `${source.consumerGroupId}-${id}`,
        },
        handler: options.wrapHandler ? options.wrapHandler(handler, role) : handler,
        kafka,
        log: quietLog,
        ...(options.retryBackoffMs ? { retryBackoffMs: options.retryBackoffMs } : {}),
      }),
    );
  }

  return {
    topics,
    config,
    processed,
    calls,
    produce: (messages, topic = topics.orders) =>
      publishAll(
        intakeConfig,
        messages.map((message) => ({ topic, headers: {}, ...message })),
      ),
    stop: async () => {
      await Promise.allSettled(runners.map((runner) => runner.stop()));
      await closeProducer();
      // Per-test topics would otherwise pile up on a broker that lives across runs.
      await deleteTopics(options.brokers, Object.values(topics));
      await world?.remove();
    },
  };
};

export const orderValue = (order: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(order));

export const orderMessage = (orderId: string, extra: Record<string, unknown> = {}) => ({
  key: Buffer.from(orderId),
  value: orderValue({ orderId, amount: 42.5, ...extra }),
});

/** Header values as strings, for readable assertions. */
export const headerText = (headers: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Buffer.isBuffer(value) ? value.toString('utf8') : String(value),
    ]),
  );
