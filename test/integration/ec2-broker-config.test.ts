import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PATHS } from '../../infra/local/broker/index.js';
import { KafkaUser } from '../../infra/local/broker/kafka-acls.js';
import { REPO_ROOT } from '../../infra/local/broker/paths.js';
import { ensureLocalTls, LOCAL_TLS_STORE_PASSWORD } from '../../infra/local/broker/tls.js';
import { freePort, startThrowawayBroker, type ThrowawayBroker } from './helpers/throwaway-broker.js';
import { waitFor } from './helpers/wait-for.js';

// Boots a second, throwaway broker from the EC2 host's own server.properties template, so a change to it
// that would leave the AWS broker unable to start, or open an unauthenticated door, fails here first. Only
// what a laptop lacks is substituted: ports, paths, and a PKCS12 keystore for the host's PEM one.

interface Rendered {
  readonly text: string;
  readonly clientPort: number;
  readonly controllerPort: number;
}

const renderEc2Properties = (
  template: string,
  input: {
    dataDir: string;
    scramEnvPath: string;
    keystorePath: string;
    clientPort: number;
    controllerPort: number;
  },
): string => {
  const vars: Record<string, string> = {
    kafka_port: String(input.clientPort),
    topic_partitions: '1',
    log_retention_bytes: String(1024 ** 3),
  };
  const text = template
    // Terraform's templatefile: `$${` is a literal `${` (a Kafka config-provider reference), `${x}` a variable.
    .replace(/\$\$\{|\$\{(\w+)\}/g, (match, name: string | undefined) => {
      if (name === undefined) return match.slice(1);
      const value = vars[name];
      if (value === undefined) throw new Error(`server.properties.tftpl has a new variable \${${name}}`);
      return value;
    })
    .replaceAll('127.0.0.1:9093', `127.0.0.1:${input.controllerPort}`)
    .replaceAll('__PRIVATE_IP__', '127.0.0.1')
    .replaceAll('/etc/kafka-broker/secrets/scram.env', input.scramEnvPath)
    .replaceAll('/var/lib/kafka/data', input.dataDir)
    .replaceAll('/etc/kafka-broker/tls/ca.pem', path.join(LOCAL_PATHS.tls, 'ca.pem'))
    .replace(
      /^listener\.name\.client\.ssl\.keystore\.type=PEM\nlistener\.name\.client\.ssl\.keystore\.location=.*$/m,
      [
        'listener.name.client.ssl.keystore.type=PKCS12',
        `listener.name.client.ssl.keystore.location=${input.keystorePath}`,
        `listener.name.client.ssl.keystore.password=${LOCAL_TLS_STORE_PASSWORD}`,
        `listener.name.client.ssl.key.password=${LOCAL_TLS_STORE_PASSWORD}`,
      ].join('\n'),
    );
  if (!text.includes('keystore.type=PKCS12')) throw new Error('the template no longer names a PEM keystore');
  return text;
};

describe('the EC2 broker configuration', () => {
  const adminPassword = randomBytes(12).toString('hex');
  const uiPassword = randomBytes(12).toString('hex');
  let rendered: Rendered = { text: '', clientPort: 0, controllerPort: 0 };
  let caPem = '';
  let broker: ThrowawayBroker | undefined;

  const client = (user: { username: string; password: string }, extra: Partial<KafkaConfig> = {}) =>
    new Kafka({
      clientId: 'ec2-config-test',
      brokers: [`127.0.0.1:${rendered.clientPort}`],
      ssl: { ca: [caPem], rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', ...user },
      logLevel: logLevel.NOTHING,
      ...extra,
    });
  const admin = () => client({ username: KafkaUser.admin, password: adminPassword });

  beforeAll(async () => {
    // Prepare: format with two users, as the host's start script does with the secrets, and start the JVM.
    const template = await readFile(
      path.join(REPO_ROOT, 'infra', 'templates', 'server.properties.tftpl'),
      'utf8',
    );
    const tls = await ensureLocalTls();
    caPem = tls.caPem;
    const ports = { clientPort: await freePort(), controllerPort: await freePort() };
    broker = await startThrowawayBroker({
      render: (dataDir) => {
        // The file the host's boot script writes from the orders-admin secret, in the same format.
        const scramEnvPath = path.join(path.dirname(dataDir), 'scram.env');
        writeFileSync(scramEnvPath, `SCRAM_USERNAME=${KafkaUser.admin}\nSCRAM_PASSWORD=${adminPassword}\n`);
        const text = renderEc2Properties(template, {
          dataDir,
          scramEnvPath,
          keystorePath: tls.keystorePath,
          ...ports,
        });
        rendered = { text, ...ports };
        return text;
      },
      scramUsers: [
        `name=${KafkaUser.admin},password=${adminPassword}`,
        `name=${KafkaUser.ui},password=${uiPassword}`,
      ],
    });
    const started = broker;
    const deadline = Date.now() + 150_000;
    for (;;) {
      const probe = admin().admin();
      try {
        await probe.connect();
        await probe.describeCluster();
        break;
      } catch (err) {
        if (started.hasExited() || Date.now() > deadline) {
          throw new Error(`the EC2-config broker did not start:\n${await started.logTail()}`, { cause: err });
        }
        await delay(500);
      } finally {
        await probe.disconnect().catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('names orders-admin as the only super user and denies what no ACL grants', () => {
    // Act
    const settings = rendered.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

    // Assess
    expect(settings).toContain('super.users=User:orders-admin');
    expect(settings).toContain('allow.everyone.if.no.acl.found=false');
    expect(settings.join('\n')).not.toMatch(/:PLAINTEXT\b|User:ANONYMOUS/);
  });

  it('refuses a client without credentials on the client port, and a wrong password on the controller port', async () => {
    // Prepare
    const attempt = async (port: number, options: Partial<KafkaConfig>): Promise<string> => {
      const admin = new Kafka({
        clientId: 'ec2-config-intruder',
        brokers: [`127.0.0.1:${port}`],
        connectionTimeout: 3_000,
        requestTimeout: 5_000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
        ...options,
      }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return 'allowed';
      } catch (err) {
        return (err as Error).message;
      } finally {
        await admin.disconnect();
      }
    };

    // Act
    const anonymous = await attempt(rendered.clientPort, { ssl: { ca: [caPem] } });
    const guessedController = await attempt(rendered.controllerPort, {
      sasl: { mechanism: 'plain', username: KafkaUser.admin, password: 'guess' },
    });

    // Assess
    // The SASL_SSL listener drops a client that skips the SASL handshake.
    expect(anonymous).toMatch(/closed connection/i);
    expect(guessedController).toMatch(/SASL PLAIN authentication failed/i);
  });

  it('lets orders-admin create a topic and commit a transaction through the SASL_SSL listener', async () => {
    // Prepare
    const topic = `ec2-${randomUUID()}`;
    const kafka = admin();
    const topics = kafka.admin();
    await topics.connect();
    const producer = kafka.producer({
      transactionalId: `orders-redrive-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });

    // Act
    const created = await topics.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    // The commit's markers travel broker to broker over the SCRAM inter-broker listener.
    await transaction.commit();
    // The markers are written after commit() returns; the read-committed end moves past them when they land.
    const end = await waitFor(
      async () => {
        const [partition] = await topics.fetchTopicOffsets(topic);
        return partition?.high === '2' && partition.high;
      },
      { timeoutMs: 30_000, description: 'the commit marker after the record' },
    );
    await producer.disconnect();
    await topics.disconnect();

    // Assess
    expect(created).toBe(true);
    // One record plus its commit marker.
    expect(end).toBe('2');
  });

  it('denies a user without ACLs, even to create a topic', async () => {
    // Prepare
    const ui = client({ username: KafkaUser.ui, password: uiPassword }).admin();
    await ui.connect();

    // Act
    const attempt = await ui
      .createTopics({ topics: [{ topic: `ec2-ui-${randomUUID()}`, numPartitions: 1 }] })
      .then(
        () => 'allowed',
        (err: { errors?: Array<{ type?: string }> }) =>
          err.errors?.map((e) => e.type).join(',') ?? String(err),
      );
    await ui.disconnect();

    // Assess
    expect(attempt).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});
