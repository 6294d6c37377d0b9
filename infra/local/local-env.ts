import { randomBytes } from 'node:crypto';

/**
 * The environment the handlers see locally: the same variables serverless.yml sets on AWS, pointed
 * at the local broker. Set before any handler module is imported, because config is read once.
 */
export const applyLocalEnvironment = (bootstrapServers: string): { uiAccessToken: string } => {
  const uiAccessToken = process.env.UI_ACCESS_TOKEN ?? randomBytes(18).toString('base64url');
  const defaults: Record<string, string> = {
    KAFKA_BROKERS: bootstrapServers,
    KAFKA_SECURITY_PROTOCOL: 'plaintext',
    TOPIC_ORDERS: 'orders.v1',
    TOPIC_RETRY: 'orders.retry',
    TOPIC_DLQ: 'orders.dlq',
    POWERTOOLS_SERVICE_NAME: 'orders-dlq',
    POWERTOOLS_METRICS_NAMESPACE: 'OrdersDlq',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    UI_ACCESS_TOKEN: uiAccessToken,
  };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  // The runner must talk to the broker it started, whatever a stale shell exported.
  process.env.KAFKA_BROKERS = bootstrapServers;
  return { uiAccessToken };
};
