import { Kafka, type Kafka as KafkaClient, logLevel } from 'kafkajs';
import type { SaslSslEndpoint } from '../../../infra/local/broker/index.js';

export interface TestClientOptions {
  readonly clientId?: string;
  /** Silence kafkajs entirely, for a client whose failures the test provokes on purpose. */
  readonly quiet?: boolean;
}

const level = (options: TestClientOptions) => (options.quiet ? logLevel.NOTHING : logLevel.ERROR);

/** A kafkajs client for the PLAINTEXT listener, quiet except for errors so test output stays readable. */
export const createTestKafka = (brokers: string, options: TestClientOptions = {}): KafkaClient =>
  new Kafka({
    clientId: options.clientId ?? 'integration-test',
    brokers: brokers.split(','),
    logLevel: level(options),
  });

/** A kafkajs client for the SASL_SSL listener: SCRAM-SHA-512, trusting only the local CA. */
export const createSaslSslKafka = (endpoint: SaslSslEndpoint, options: TestClientOptions = {}): KafkaClient =>
  new Kafka({
    clientId: options.clientId ?? 'integration-test-sasl',
    brokers: endpoint.bootstrapServers.split(','),
    ssl: { ca: [endpoint.caPem], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: endpoint.username, password: endpoint.password },
    logLevel: level(options),
  });
