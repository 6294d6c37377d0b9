import type { OutboundMessage } from '../domain/failure-routing.js';
import type { AppConfig } from './config.js';

type ProducerModule = typeof import('./producer.js');
let producerModule: Promise<ProducerModule> | undefined;

/**
 * `publishAll` of `producer.ts`, loaded on the first batch that has something to publish. kafkajs
 * (and, over SASL, the Secrets Manager client) is then evaluated once per container; a container whose
 * batches all succeed never loads it, never connects and never reads a secret. A failed load is
 * forgotten, so the redelivered batch tries again.
 */
export const publishAllLazily = async (
  config: AppConfig,
  messages: readonly OutboundMessage[],
): Promise<void> => {
  if (messages.length === 0) return;
  producerModule ??= import('./producer.js').catch((error: unknown) => {
    producerModule = undefined;
    throw error;
  });
  const { publishAll } = await producerModule;
  await publishAll(config, messages);
};
