import { readFile } from 'node:fs/promises';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { type AppConfig, SecurityProtocol } from './config.js';
import { readJsonSecret } from './secrets.js';

interface ScramSecret {
  username: string;
  password: string;
}

const resolveSasl = async (config: AppConfig): Promise<SASLOptions> => {
  const { auth } = config;
  const credentials: ScramSecret | undefined = auth.saslSecretId
    ? await readJsonSecret<ScramSecret>(auth.saslSecretId)
    : auth.username && auth.password
      ? { username: auth.username, password: auth.password }
      : undefined;
  if (!credentials?.username || !credentials.password) {
    throw new Error(
      'KAFKA_SECURITY_PROTOCOL is sasl_ssl but no credentials are configured: set KAFKA_SASL_SECRET_ID, or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
  }
  return { mechanism: 'scram-sha-512', username: credentials.username, password: credentials.password };
};

const resolveCa = async (config: AppConfig): Promise<string[] | undefined> => {
  const { auth } = config;
  if (auth.caSecretId) {
    const secret = await readJsonSecret<{ certificate: string }>(auth.caSecretId);
    return [secret.certificate];
  }
  if (auth.caPemFile) return [await readFile(auth.caPemFile, 'utf8')];
  // No CA configured: trust the public roots, which is right for MSK and wrong for a self-signed host.
  return undefined;
};

const resolveBrokers = async (config: AppConfig): Promise<string[]> => {
  if (config.brokers.length > 0) return [...config.brokers];
  if (!config.mskClusterArn)
    throw new Error('Environment variable KAFKA_BROKERS or MSK_CLUSTER_ARN is required');
  const { KafkaClient, GetBootstrapBrokersCommand } = await import('@aws-sdk/client-kafka');
  const response = await new KafkaClient({}).send(
    new GetBootstrapBrokersCommand({ ClusterArn: config.mskClusterArn }),
  );
  const list =
    config.securityProtocol === SecurityProtocol.saslSsl
      ? response.BootstrapBrokerStringSaslScram
      : (response.BootstrapBrokerStringTls ?? response.BootstrapBrokerString);
  if (!list)
    throw new Error(`MSK cluster ${config.mskClusterArn} has no bootstrap brokers for this protocol`);
  return list.split(',');
};

/**
 * The kafkajs client settings for this configuration: brokers (given, or looked up from MSK), and
 * SASL/SCRAM-SHA-512 over TLS when `KAFKA_SECURITY_PROTOCOL=sasl_ssl`.
 */
export const resolveKafkaConfig = async (config: AppConfig): Promise<KafkaConfig> => {
  const brokers = await resolveBrokers(config);
  const base: KafkaConfig = {
    clientId: config.clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 15_000,
    // Bounded, so a dead broker surfaces as an error the event source retries, not an endless hang.
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
  };
  if (config.securityProtocol === SecurityProtocol.plaintext) return base;
  const ca = await resolveCa(config);
  return { ...base, ssl: ca ? { ca, rejectUnauthorized: true } : true, sasl: await resolveSasl(config) };
};
