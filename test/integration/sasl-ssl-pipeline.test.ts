import { afterEach, describe, expect, inject, it } from 'vitest';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { createSaslSslKafka } from './helpers/kafka-client.js';
import { headerText, orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const saslSsl = inject('kafkaSaslSsl');

describe('the pipeline over SASL_SSL', () => {
  let pipeline: Pipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('processes and dead-letters through SCRAM-SHA-512 over TLS with the local CA', async () => {
    // Prepare
    if (saslSsl === null) {
      throw new Error(
        'the broker in use has no SASL_SSL listener: unset KAFKA_BROKERS or KAFKA_SASL_SSL_PORT=off',
      );
    }
    pipeline = await startPipeline({ brokers, saslSsl });
    expect(pipeline.config.securityProtocol).toBe('sasl_ssl');

    // Act
    await pipeline.produce([
      orderMessage('o-tls-ok'),
      orderMessage('o-tls-retry', { simulate: { transientFailures: 1 } }),
      orderMessage('o-tls-dead', { simulate: { permanentFailure: true } }),
    ]);
    await waitFor(() => pipeline?.processed.length === 2, {
      timeoutMs: 30_000,
      description: '2 processed over TLS',
    });
    const [dead] = await readTopic(createSaslSslKafka(saslSsl), {
      topic: pipeline.topics.dlq,
      count: 1,
      timeoutMs: 30_000,
    });

    // Assess
    expect(pipeline.processed.map((call) => `${call.orderId}@${call.attempt}`).sort()).toEqual([
      'o-tls-ok@1',
      'o-tls-retry@2',
    ]);
    expect(dead?.key?.toString()).toBe('o-tls-dead');
    expect(headerText(dead?.headers)[FailureHeader.deadLetterReason]).toBe('permanent-failure');
  });

  it.runIf(saslSsl)('refuses a client that does not trust the broker certificate', async () => {
    // Prepare
    if (saslSsl === null) throw new Error('unreachable: guarded by runIf');
    const { Kafka, logLevel } = await import('kafkajs');
    const untrusting = new Kafka({
      clientId: 'untrusting',
      brokers: saslSsl.bootstrapServers.split(','),
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: saslSsl.username, password: saslSsl.password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 3_000,
    });
    const admin = untrusting.admin();

    // Act
    const attempt = admin.connect();

    // Assess
    await expect(attempt).rejects.toThrow(/certificate|self-signed|SSL|TLS/i);
    await admin.disconnect();
  });
});
