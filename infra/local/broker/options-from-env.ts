import type { LocalBrokerOptions } from './start-broker.js';

const portFromEnv = (name: string, fallback: number | undefined): number | undefined => {
  const raw = process.env[name]?.trim();
  if (!raw) {
    return fallback;
  }
  if (raw === 'off') {
    return undefined;
  }
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} must be a TCP port or 'off', got '${raw}'`);
  }
  return port;
};

/** `KAFKA_LOCAL_HOME`: the broker's directory instead of `.local/kafka`, for a second, independent stack. */
export const brokerHomeFromEnv = (): string | undefined => process.env.KAFKA_LOCAL_HOME?.trim() || undefined;

/**
 * Broker options shared by the CLI and the test global setup: `KAFKA_PORT` (default 9092),
 * `KAFKA_SASL_SSL_PORT` (default 9094, `off` disables the SASL_SSL listener) and `KAFKA_LOCAL_HOME`.
 */
export const brokerOptionsFromEnv = (): LocalBrokerOptions => ({
  port: portFromEnv('KAFKA_PORT', 9092),
  saslSslPort: portFromEnv('KAFKA_SASL_SSL_PORT', 9094),
  home: brokerHomeFromEnv(),
});
