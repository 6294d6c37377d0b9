import type { KafkaMessage } from 'kafkajs';
import { buildSelfManagedKafkaEvent } from '../../infra/local/runner/lambda-event.js';
import type { LambdaKafkaEvent } from '../../shared/domain/kafka-event.js';
import { benchOrder } from './orders.js';

/**
 * `records` messages at offsets from `firstOffset`, keyed by order id; every (records / failures)-th
 * one fails transiently (none when `failures` is 0).
 */
export const batchMessages = (
  run: string,
  firstOffset: number,
  records: number,
  failures: number,
): KafkaMessage[] => {
  const every = failures > 0 ? Math.floor(records / failures) : 0;
  return Array.from({ length: records }, (_, index) => {
    const offset = firstOffset + index;
    const order = benchOrder(`batch-${run}-${offset}`, offset, every > 0 && index % every === 0);
    return {
      key: order.key,
      value: order.value,
      timestamp: String(Date.now()),
      attributes: 0,
      offset: String(offset),
      headers: {},
    };
  });
};

/** One `SelfManagedKafka` event of `records` bench orders on one partition of `topic`. */
export const batchEvent = (options: {
  brokers: string;
  topic: string;
  run: string;
  sample: number;
  records: number;
  failures: number;
}): LambdaKafkaEvent =>
  buildSelfManagedKafkaEvent(
    options.brokers,
    options.topic,
    options.sample % 3,
    batchMessages(options.run, options.sample * options.records, options.records, options.failures),
  );

export interface Summary {
  readonly processed: number;
  readonly retried: number;
  readonly published: number;
}

export const isSummary = (value: unknown): value is Summary =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Summary).processed === 'number' &&
  typeof (value as Summary).retried === 'number' &&
  typeof (value as Summary).published === 'number';

/** Throws unless the handler processed `records - failures` and retried `failures`. */
export const assertSummary = (summary: unknown, records: number, failures: number): void => {
  if (!isSummary(summary) || summary.processed !== records - failures || summary.retried !== failures) {
    throw new Error(`unexpected batch summary: ${JSON.stringify(summary)}`);
  }
};
