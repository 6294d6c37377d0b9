// Type-only import, so the ProvidedContext augmentation below has a module to merge into.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import {
  brokerOptionsFromEnv,
  ensureTopics,
  KAFKA_VERSION,
  type LocalBroker,
  type SaslSslEndpoint,
  startLocalBroker,
  stopRecordedBroker,
} from '../../infra/local/broker/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the PLAINTEXT listener (or of the `KAFKA_BROKERS` cluster). */
    kafkaBrokers: string;
    /** The SCRAM-SHA-512 over TLS listener, or null when the broker in use has none. */
    kafkaSaslSsl: SaslSslEndpoint | null;
    /** True when this suite started the broker, so a test may stop and restart it. */
    kafkaRestartable: boolean;
  }
}

// A list, not a single variable: the integration and e2e projects may share this module instance, and the
// broker the first one started must still be stopped if the second only reused it.
const brokers: LocalBroker[] = [];

// Named setup/teardown exports are vitest's documented alternative to a default export.
// https://vitest.dev/config/#globalsetup
export const setup = async (project: TestProject): Promise<void> => {
  const startedAt = Date.now();
  const broker = await startLocalBroker(brokerOptionsFromEnv());
  brokers.push(broker);
  await ensureTopics(broker.bootstrapServers);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(
    `[kafka] ${broker.origin} ${broker.origin === 'external' ? 'cluster' : `Kafka ${KAFKA_VERSION}`} at ${broker.bootstrapServers}` +
      `${broker.saslSsl ? ` (+SASL_SSL ${broker.saslSsl.bootstrapServers})` : ''} in ${seconds}s\n`,
  );
  project.provide('kafkaBrokers', broker.bootstrapServers);
  project.provide('kafkaSaslSsl', broker.saslSsl ?? null);
  // Each project runs this setup, possibly in its own module instance; the second one reuses the broker
  // the first one started, and that broker is still this run's to restart.
  if (broker.origin === 'started') process.env.KAFKA_STARTED_BY_THIS_RUN = '1';
  project.provide('kafkaRestartable', process.env.KAFKA_STARTED_BY_THIS_RUN === '1');
};

export const teardown = async (): Promise<void> => {
  for (const broker of brokers.splice(0)) {
    await broker.stop();
    // A restart test replaces the broker this suite started; the replacement is ours to stop too.
    if (broker.origin === 'started') await stopRecordedBroker();
  }
};
