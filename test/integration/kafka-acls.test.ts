import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeUserAcls } from '../../infra/local/broker/apply-acls.js';
import { ensureTopics, type SaslSslEndpoint } from '../../infra/local/broker/index.js';
import {
  ACL_USERS,
  type AclBinding,
  CONTRACT_ACL_NAMES,
  KafkaUser,
  kafkaAcls,
} from '../../infra/local/broker/kafka-acls.js';
import { type AclWorld, aclWorldNames, aclWorldTopics, grantAclWorld } from './helpers/acl-world.js';
import { createSaslSslKafka, createTestKafka } from './helpers/kafka-client.js';

const brokers = inject('kafkaBrokers');
const saslSsl = inject('kafkaSaslSsl');

// These tests are about the SASL_SSL listener: without one there is nothing to prove, and that is a failure.
const endpoint = (): SaslSslEndpoint => {
  if (saslSsl === null) {
    throw new Error(
      'the broker in use has no SASL_SSL listener: unset KAFKA_BROKERS or KAFKA_SASL_SSL_PORT=off',
    );
  }
  return saslSsl;
};

/**
 * A client logged in as one of the users, through SASL_SSL. It logs nothing: most of its failures are on
 * purpose. Errors kafkajs only logs (a refused FindCoordinator becomes a bare "Failed to find group
 * coordinator") are collected into `brokerErrors`, so a test can tell a denial from any other failure.
 */
const as = (user: KafkaUser, brokerErrors: string[] = []): Kafka =>
  new Kafka({
    clientId: `acl-test-${user}`,
    brokers: endpoint().bootstrapServers.split(','),
    ssl: { ca: [endpoint().caPem], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', ...endpoint().users[user] },
    logLevel: logLevel.DEBUG,
    logCreator:
      () =>
      ({ log }) => {
        const { error } = log as { error?: unknown };
        if (error instanceof Error) brokerErrors.push(`${error.name}: ${error.message}`);
        else if (typeof error === 'string') brokerErrors.push(error);
      },
  });

// Kafka's TOPIC_, GROUP_ and TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as kafkajs words them.
const TOPIC_DENIED = /Topic authorization failed/;
const GROUP_DENIED = /Group authorization failed/;
const TRANSACTIONAL_ID_DENIED = /Transactional Id authorization failed/;

/**
 * How an attempt ended: 'allowed', or every error message in its chain (kafkajs wraps broker errors in
 * aggregate, retry and non-retriable errors). Awaiting each attempt in Act keeps rejections handled.
 */
const outcome = async (attempt: Promise<unknown>, brokerErrors: readonly string[] = []): Promise<string> => {
  try {
    await attempt;
    return 'allowed';
  } catch (err) {
    const messages: string[] = [];
    const visit = (e: unknown): void => {
      if (!(e instanceof Error) || messages.length > 20) return;
      messages.push(`${e.name}: ${e.message}`);
      const nested = e as { cause?: unknown; originalError?: unknown; errors?: unknown[] };
      for (const inner of [nested.cause, nested.originalError, ...(nested.errors ?? [])]) visit(inner);
    };
    visit(err);
    return [...messages, ...brokerErrors.map((logged) => `logged ${logged}`)].join(' <- ');
  }
};

const sortedLines = (bindings: readonly AclBinding[]): string[] =>
  bindings.map((b) => `${b.operation} ${b.resourceType} ${b.patternType} ${b.resourceName}`).sort();

describe('Kafka ACLs on the local broker', () => {
  const plaintext = createTestKafka(brokers, { clientId: 'acl-test-setup' });
  const closers: Array<() => Promise<void>> = [];
  let world: AclWorld;

  beforeAll(async () => {
    const topics = aclWorldTopics('acl');
    const admin = plaintext.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
    });
    await admin.disconnect();
    world = await grantAclWorld(plaintext, aclWorldNames(topics, randomUUID().slice(0, 8)));
  });

  afterAll(async () => {
    for (const close of closers.splice(0)) await close().catch(() => undefined);
    await world?.remove();
    const admin = plaintext.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(world?.names.topics ?? {}) });
    await admin.disconnect();
  });

  /**
   * Connects a producer and registers it for disconnection. Idempotent by default, like the consumers' and
   * the UI's producers. A user with no WRITE anywhere is refused an idempotent producer id before any topic
   * is checked (CLUSTER_AUTHORIZATION_FAILED), so a plain producer is the way to probe a topic's WRITE.
   */
  const producerOf = async (
    user: KafkaUser,
    options: { transactionalId?: string; brokerErrors?: string[]; idempotent?: boolean } = {},
  ) => {
    const idempotent = options.idempotent ?? true;
    const producer = as(user, options.brokerErrors).producer({
      idempotent,
      maxInFlightRequests: idempotent ? 1 : undefined,
      // An idempotent producer needs retries; authorization errors are not retried anyway.
      retry: { retries: 2, initialRetryTime: 100 },
      ...(options.transactionalId ? { transactionalId: options.transactionalId } : {}),
    });
    closers.push(() => producer.disconnect());
    await producer.connect();
    return producer;
  };

  /**
   * Reads one record in `groupId`. kafkajs reports a refused group join as a consumer crash, not as a
   * rejection of run(), so a crash it does not restart from settles the attempt too.
   */
  const consumeOne = (
    user: KafkaUser,
    topic: string,
    groupId: string,
    brokerErrors: string[] = [],
  ): Promise<string> => {
    const consumer = as(user, brokerErrors).consumer({
      groupId,
      maxWaitTimeInMs: 250,
      // A fresh broker may still be loading its group coordinator: retry that, but not a refusal.
      retry: {
        retries: 3,
        initialRetryTime: 100,
        restartOnFailure: async (err) =>
          ![err.message, ...brokerErrors].some((message) => /authorization failed/i.test(message)),
      },
    });
    closers.push(() => consumer.disconnect());
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no record from ${topic} within 30 s`)), 30_000);
      const settle = (settleWith: () => void) => {
        clearTimeout(timer);
        settleWith();
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) settle(() => reject(payload.error));
      });
      consumer
        .connect()
        .then(() => consumer.subscribe({ topic, fromBeginning: true }))
        .then(() =>
          consumer.run({
            eachMessage: async ({ message }) => settle(() => resolve(message.value?.toString() ?? '')),
          }),
        )
        .catch((err: unknown) => settle(() => reject(err)));
    });
  };

  const send = async (user: KafkaUser, topic: string, options: { idempotent?: boolean } = {}) => {
    const producer = await producerOf(user, options);
    return producer.send({ topic, acks: -1, messages: [{ key: 'o-acl', value: `from ${user}` }] });
  };

  /** The sum of the topic's high watermarks, read as the super user: what was really written. */
  const recordCount = async (topic: string): Promise<number> => {
    const admin = plaintext.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('holds exactly the contract bindings for each user on the orders topics and groups', async () => {
    // Prepare
    const contractNames = new Set<string>([
      ...Object.values(CONTRACT_ACL_NAMES.topics),
      ...Object.values(CONTRACT_ACL_NAMES.consumerGroups),
      CONTRACT_ACL_NAMES.uiGroupPrefix,
      CONTRACT_ACL_NAMES.redriveTransactionPrefix,
      'kafka-cluster',
    ]);
    const admin = plaintext.admin();
    await admin.connect();

    // Act
    const held = await Promise.all(ACL_USERS.map((user) => describeUserAcls(admin, user)));
    await admin.disconnect();

    // Assess
    ACL_USERS.forEach((user, index) => {
      const onContractNames = (held[index] ?? []).filter((b) => contractNames.has(b.resourceName));
      expect(sortedLines(onContractNames), user).toEqual(
        sortedLines(kafkaAcls().filter((b) => b.user === user)),
      );
    });
  });

  it('lets orders-esm read its input topic in its own group, and nothing else', async () => {
    // Prepare
    const { topics, consumerGroups } = world.names;
    await send(KafkaUser.ui, topics.orders);

    // Act
    const read = await consumeOne(KafkaUser.esm, topics.orders, consumerGroups.main);
    const write = await outcome(send(KafkaUser.esm, topics.orders, { idempotent: false }));
    const logged: string[] = [];
    const otherGroup = await outcome(
      consumeOne(KafkaUser.esm, topics.orders, `orders-elsewhere-${randomUUID()}`, logged),
      logged,
    );

    // Assess
    expect(read).toBe(`from ${KafkaUser.ui}`);
    expect(write).toMatch(TOPIC_DENIED);
    expect(otherGroup).toMatch(GROUP_DENIED);
    expect(await recordCount(topics.orders)).toBe(1);
  });

  it('lets orders-producer write the retry and DLQ topics but neither read nor write orders.v1', async () => {
    // Prepare
    const { topics } = world.names;

    // Act
    await send(KafkaUser.producer, topics.retry);
    await send(KafkaUser.producer, topics.dlq);
    const before = await recordCount(topics.orders);
    const write = await outcome(send(KafkaUser.producer, topics.orders));
    const read = await outcome(
      consumeOne(KafkaUser.producer, topics.orders, world.names.consumerGroups.main),
    );

    // Assess
    expect(write).toMatch(TOPIC_DENIED);
    expect(read).toMatch(TOPIC_DENIED);
    expect(await recordCount(topics.orders)).toBe(before);
    expect(await recordCount(topics.retry)).toBeGreaterThanOrEqual(1);
    expect(await recordCount(topics.dlq)).toBeGreaterThanOrEqual(1);
  });

  it('refuses orders-ui topic creation, topic deletion and writes to the DLQ', async () => {
    // Prepare
    const { topics } = world.names;
    const admin = as(KafkaUser.ui).admin();
    closers.push(() => admin.disconnect());
    await admin.connect();
    const dlqBefore = await recordCount(topics.dlq);
    const victim = `acl-created-by-ui-${randomUUID()}`;

    // Act
    const create = await outcome(
      admin.createTopics({ topics: [{ topic: victim, numPartitions: 1, replicationFactor: 1 }] }),
    );
    const remove = await outcome(admin.deleteTopics({ topics: [topics.dlq], timeout: 5_000 }));
    const write = await outcome(send(KafkaUser.ui, topics.dlq));

    // Assess
    expect(create).toMatch(TOPIC_DENIED);
    expect(remove).toMatch(TOPIC_DENIED);
    expect(write).toMatch(TOPIC_DENIED);
    const setup = plaintext.admin();
    await setup.connect();
    const existing = await setup.listTopics();
    await setup.disconnect();
    expect(existing).toContain(topics.dlq);
    expect(existing).not.toContain(victim);
    expect(await recordCount(topics.dlq)).toBe(dlqBefore);
  });

  it('lets orders-ui read the DLQ in an orders-ui- group and redrive in an orders-redrive- transaction', async () => {
    // Prepare
    const { topics } = world.names;
    await send(KafkaUser.producer, topics.dlq);
    const redrive = await producerOf(KafkaUser.ui, { transactionalId: `orders-redrive-${randomUUID()}` });

    // Act
    const dead = await consumeOne(KafkaUser.ui, topics.dlq, `orders-ui-${randomUUID()}`);
    const transaction = await redrive.transaction();
    await transaction.send({ topic: topics.redrives, messages: [{ key: 'dlq-0-0', value: 'redriven' }] });
    await transaction.send({ topic: topics.retry, messages: [{ key: 'o-acl', value: 'again' }] });
    await transaction.commit();
    const loggedByProducer: string[] = [];
    const unprefixed = await outcome(
      producerOf(KafkaUser.ui, {
        transactionalId: `elsewhere-${randomUUID()}`,
        brokerErrors: loggedByProducer,
      }).then((producer) => producer.transaction()),
      loggedByProducer,
    );
    const loggedByConsumer: string[] = [];
    const otherGroup = await outcome(
      consumeOne(KafkaUser.ui, topics.dlq, `read-topic-${randomUUID()}`, loggedByConsumer),
      loggedByConsumer,
    );

    // Assess
    expect(dead).toBe(`from ${KafkaUser.producer}`);
    expect(await recordCount(topics.redrives)).toBeGreaterThanOrEqual(1);
    expect(unprefixed).toMatch(TRANSACTIONAL_ID_DENIED);
    expect(otherGroup).toMatch(GROUP_DENIED);
  });

  it('lets orders-ui read the consumer groups’ lag without being able to join them', async () => {
    // Prepare
    const { topics, consumerGroups } = world.names;
    const admin = as(KafkaUser.ui).admin();
    closers.push(() => admin.disconnect());
    await admin.connect();

    // Act
    const ends = await admin.fetchTopicOffsets(topics.orders);
    const [committed] = await admin.fetchOffsets({ groupId: consumerGroups.main, topics: [topics.orders] });
    const logged: string[] = [];
    const join = await outcome(consumeOne(KafkaUser.ui, topics.orders, consumerGroups.main, logged), logged);

    // Assess
    expect(ends.length).toBe(1);
    expect(committed?.topic).toBe(topics.orders);
    expect(join).toMatch(GROUP_DENIED);
  });

  it('rejects an unknown user and a known user with a wrong password at login', async () => {
    // Prepare
    const stranger = createSaslSslKafka(
      { ...endpoint(), username: `stranger-${randomUUID()}`, password: 'guess' },
      { quiet: true },
    ).admin();
    const wrongPassword = createSaslSslKafka(
      { ...endpoint(), username: KafkaUser.ui, password: 'not-the-password' },
      { quiet: true },
    ).admin();
    closers.push(
      () => stranger.disconnect(),
      () => wrongPassword.disconnect(),
    );

    // Act
    const unknown = await outcome(stranger.connect());
    const wrong = await outcome(wrongPassword.connect());

    // Assess
    expect(unknown).toMatch(/SASL.*authentication failed/i);
    expect(wrong).toMatch(/SASL.*authentication failed/i);
  });

  it('lets orders-admin, the super user, create topics the way the tooling does and delete them', async () => {
    // Prepare
    const topic = `acl-admin-${randomUUID()}`;
    const { bootstrapServers, caPem, users } = endpoint();
    const admin = as(KafkaUser.admin).admin();
    closers.push(() => admin.disconnect());
    await admin.connect();

    // Act
    const [report] = await ensureTopics(bootstrapServers, {
      topics: [topic],
      partitions: 1,
      connection: {
        ssl: { ca: [caPem], rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-512', ...users[KafkaUser.admin] },
      },
    });
    await admin.deleteTopics({ topics: [topic] });
    const afterDelete = await admin.listTopics();

    // Assess
    expect(report).toEqual({ topic, partitions: 1, created: true });
    expect(afterDelete).not.toContain(topic);
  });
});
