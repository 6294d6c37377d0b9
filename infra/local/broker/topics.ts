import { Kafka, logLevel } from 'kafkajs';

/**
 * The topic contract: the three topics of the pattern plus the redrive ledger. The application never
 * lets the broker create a topic on its own.
 */
export const ORDER_TOPICS = ['orders.v1', 'orders.retry', 'orders.dlq', 'orders.dlq.redrives'] as const;

/** Topics kept compacted: the redrive ledger keeps the latest entry per key (README "Redrive ledger"). */
export const isCompactedTopic = (topic: string): boolean => topic.endsWith('.redrives');

const compactedConfig = [
  { name: 'cleanup.policy', value: 'compact' },
  // Tombstones of settled intents may go after a day; the record entries are the ledger and stay.
  { name: 'delete.retention.ms', value: String(24 * 60 * 60 * 1000) },
];

const DEFAULT_PARTITIONS = 3;

export interface EnsureTopicsOptions {
  /** Partitions for topics this call creates. Default: `TOPIC_PARTITIONS`, else 3. */
  readonly partitions?: number;
  readonly topics?: readonly string[];
  /** Default 1: the local broker and the EC2 host are both single-node clusters. */
  readonly replicationFactor?: number;
  /** Topics producers write orders to. Default: `orders.v1`. They get Kafka's default record limit. */
  readonly intakeTopics?: readonly string[];
}

/**
 * Kafka's default record batch limit. The intake topic keeps it while the broker (and so the retry and
 * DLQ topics) allows 2 MiB, so any order accepted on intake still fits with its failure headers.
 */
export const INTAKE_MAX_MESSAGE_BYTES = 1_048_588;

export interface TopicReport {
  readonly topic: string;
  readonly partitions: number;
  readonly created: boolean;
}

const partitionsFromEnv = (): number | undefined => {
  const raw = process.env.TOPIC_PARTITIONS?.trim();
  if (!raw) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`TOPIC_PARTITIONS must be a positive integer, got '${raw}'`);
  }
  return value;
};

/**
 * Creates the order topics that are missing and verifies the ones that exist. Idempotent. An existing topic
 * with a different partition count fails loudly: partitions cannot shrink, and growing them silently would
 * move keys to other partitions and break per-order ordering.
 */
export const ensureTopics = async (
  brokers: string,
  opts: EnsureTopicsOptions = {},
): Promise<readonly TopicReport[]> => {
  const partitions = opts.partitions ?? partitionsFromEnv() ?? DEFAULT_PARTITIONS;
  const topics = opts.topics ?? ORDER_TOPICS;
  const admin = new Kafka({
    clientId: 'ensure-topics',
    brokers: brokers.split(','),
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: opts.replicationFactor ?? 1,
          ...((opts.intakeTopics ?? [ORDER_TOPICS[0]]).includes(topic)
            ? { configEntries: [{ name: 'max.message.bytes', value: String(INTAKE_MAX_MESSAGE_BYTES) }] }
            : isCompactedTopic(topic)
              ? { configEntries: compactedConfig }
              : {}),
        })),
      });
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    const reports = metadata.topics.map((topic) => ({
      topic: topic.name,
      partitions: topic.partitions.length,
      created: missing.includes(topic.name),
    }));
    const mismatched = reports.filter((report) => report.partitions !== partitions);
    if (mismatched.length > 0) {
      const found = mismatched.map((report) => `${report.topic} has ${report.partitions}`).join(', ');
      throw new Error(
        `Topic partition count differs from the expected ${partitions}: ${found}. Set TOPIC_PARTITIONS to match, or delete the topics (locally: npm run broker stop && rm -rf .local/kafka/data).`,
      );
    }
    await warmUpProducerIds(brokers);
    return reports;
  } finally {
    await admin.disconnect();
  }
};

/**
 * Has the broker hand out one producer id, quietly. On a fresh broker the first idempotent producer
 * otherwise meets "the coordinator is loading", which kafkajs retries but logs as an ERROR that would
 * be the first thing a new user sees.
 */
const warmUpProducerIds = async (brokers: string): Promise<void> => {
  const producer = new Kafka({
    clientId: 'ensure-topics-warm-up',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  await producer.disconnect();
};
