import type { Context } from 'aws-lambda';
import { type Consumer, Kafka, type KafkaConfig, type KafkaMessage, logLevel } from 'kafkajs';
import type { LambdaKafkaEvent } from '../../../shared/domain/kafka-event.js';
import { createLambdaContext } from './lambda-context.js';
import { buildSelfManagedKafkaEvent } from './lambda-event.js';
import type { KafkaEventSource } from './serverless-functions.js';

export type KafkaLambdaHandler = (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

export interface RunnerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface EventSourceRunnerOptions {
  readonly source: KafkaEventSource;
  readonly handler: KafkaLambdaHandler;
  readonly kafka: KafkaConfig;
  readonly log: RunnerLog;
  /**
   * Invocations in flight at once. Default 1: on AWS each concurrent invocation has a container of its
   * own, while here they would share one module instance (its logger keys, its producer), so the
   * faithful local picture is one container working through the partitions in turn.
   */
  readonly partitionsConsumedConcurrently?: number;
  /** First and largest pause between deliveries of a failing batch. */
  readonly retryBackoffMs?: { readonly initial: number; readonly max: number };
  /** Called when the consumer stops for good (kafkajs gave up restarting it). */
  readonly onFatal?: (error: Error) => void;
}

export interface EventSourceRunner {
  readonly source: KafkaEventSource;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
};

class FunctionTimeoutError extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName} timed out after ${timeoutSeconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Invokes the handler like Lambda does: a fresh context per invocation, and a timeout taken from the
 * function's configuration. Heartbeats keep the group membership alive while a handler waits for a
 * due time, which the real event source mapping does on its own.
 */
const invoke = async (
  source: KafkaEventSource,
  handler: KafkaLambdaHandler,
  event: LambdaKafkaEvent,
  heartbeat: () => Promise<void>,
  log: RunnerLog,
): Promise<void> => {
  const context = createLambdaContext(source.functionName, source.timeoutSeconds, source.memorySize);
  const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
  let timer: NodeJS.Timeout | undefined;
  const running = handler(event, context);
  try {
    await Promise.race([
      running,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new FunctionTimeoutError(source.functionName, source.timeoutSeconds)),
          source.timeoutSeconds * 1000,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof FunctionTimeoutError) {
      // Lambda would freeze the timed-out invocation; in-process it keeps running, so wait for it
      // before the batch is delivered again, or two invocations of one function would overlap.
      log.warn('waiting for the timed-out invocation to finish before redelivery', {
        function: source.functionName,
      });
      await running.catch(() => undefined);
    }
    throw error;
  } finally {
    clearInterval(beat);
    clearTimeout(timer);
  }
};

/** Sleeps in slices, heartbeating, so a long backoff does not cost the group membership. */
const pause = async (ms: number, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> => {
  const until = Date.now() + ms;
  while (isRunning() && Date.now() < until) {
    await sleep(Math.min(3_000, until - Date.now()));
    await heartbeat().catch(() => undefined);
  }
};

/**
 * A local stand-in for a self-managed Kafka event source mapping: it polls the topic in the function's
 * consumer group, builds the exact Lambda event, invokes the handler in-process, commits only after
 * the handler succeeds, and delivers the same batch again, after a backoff, when it throws. Records of
 * a partition stay in order because a failing batch blocks its partition, as on AWS.
 */
export const startEventSourceRunner = async (
  options: EventSourceRunnerOptions,
): Promise<EventSourceRunner> => {
  const { source, handler, log } = options;
  const backoff = options.retryBackoffMs ?? { initial: 500, max: 30_000 };
  const kafka = new Kafka({
    ...options.kafka,
    clientId: `local-esm-${source.functionName}`,
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({
    groupId: source.consumerGroupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: Math.max(100, source.maximumBatchingWindowSeconds * 1000),
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    // A record near 1 MB must fit in one fetch.
    maxBytesPerPartition: 2 * 1024 * 1024,
  });
  const bootstrapServers = options.kafka.brokers.toString();
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.warn(payload.restart ? 'consumer crashed; kafkajs restarts it' : 'consumer crashed and stopped', {
      function: source.functionName,
      error: `${payload.error.name}: ${payload.error.message}`,
    });
    if (!payload.restart) options.onFatal?.(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({
    topic: source.topic,
    fromBeginning: source.startingPosition === 'TRIM_HORIZON',
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      for (const messages of chunks<KafkaMessage>(batch.messages, source.batchSize)) {
        const last = messages.at(-1);
        if (last === undefined) continue;
        const event = buildSelfManagedKafkaEvent(bootstrapServers, batch.topic, batch.partition, messages);
        for (let failures = 0; ; failures += 1) {
          if (!isRunning() || isStale()) return;
          try {
            await invoke(source, handler, event, heartbeat, log);
            break;
          } catch (error) {
            const pauseMs = Math.min(backoff.max, backoff.initial * 2 ** failures);
            log.warn('handler failed; the batch will be delivered again', {
              function: source.functionName,
              topic: batch.topic,
              partition: batch.partition,
              firstOffset: messages[0]?.offset,
              lastOffset: last.offset,
              failures: failures + 1,
              retryInMs: pauseMs,
              error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            });
            await pause(pauseMs, heartbeat, isRunning);
          }
        }
        // The committed offset is the next one to read, as Kafka defines it.
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
        ]);
        resolveOffset(last.offset);
        await heartbeat();
      }
    },
  });
  log.info('event source started', {
    function: source.functionName,
    topic: source.topic,
    group: source.consumerGroupId,
    batchSize: source.batchSize,
  });
  return {
    source,
    stop: () => consumer.disconnect(),
  };
};
