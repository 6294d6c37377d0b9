import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { KafkaUser } from '../../infra/local/broker/kafka-acls.js';
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

  it('processes, retries and dead-letters over TLS with a SCRAM user per client, under the ACLs', async () => {
    // Prepare
    if (saslSsl === null) {
      throw new Error(
        'the broker in use has no SASL_SSL listener: unset KAFKA_BROKERS or KAFKA_SASL_SSL_PORT=off',
      );
    }
    pipeline = await startPipeline({ brokers, saslSsl });
    expect(pipeline.config.securityProtocol).toBe('sasl_ssl');
    // The handlers' re-publishes go out as orders-producer; the runners poll as orders-esm.
    expect(pipeline.config.auth.username).toBe(KafkaUser.producer);

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
    // Read back the way the operator does: as orders-ui, in an orders-ui- group.
    const [dead] = await readTopic(createSaslSslKafka({ ...saslSsl, ...saslSsl.users[KafkaUser.ui] }), {
      topic: pipeline.topics.dlq,
      groupId: `orders-ui-${randomUUID()}`,
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
