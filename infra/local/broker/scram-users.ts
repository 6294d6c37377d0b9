import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { SaslSslEndpoint, ScramCredentials } from './broker-state.js';
import { runKafkaTool } from './kafka-tool.js';
import { LEGACY_LOCAL_USER } from './local-users.js';

const isAuthenticationFailure = (err: unknown): boolean => {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause ?? undefined) {
    if (e.name === 'KafkaJSSASLAuthenticationError') return true;
    const original = (e as { originalError?: unknown }).originalError;
    if (original instanceof Error && original.name === 'KafkaJSSASLAuthenticationError') return true;
  }
  return false;
};

const tryLogin = async (endpoint: SaslSslEndpoint, user: ScramCredentials): Promise<void> => {
  const admin = new Kafka({
    clientId: 'local-broker-scram-probe',
    brokers: endpoint.bootstrapServers.split(','),
    ssl: { ca: [endpoint.caPem], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: user.username, password: user.password },
    // A TLS handshake plus SCRAM on a busy 2-core runner can take longer than kafkajs' 1 s default.
    connectionTimeout: 10_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/**
 * True when the user logs in over SASL_SSL, false on a refused login. Other failures (the listener may open
 * a moment after the PLAINTEXT one the readiness probe uses) are retried until `timeoutMs`, then thrown.
 */
export const canAuthenticate = async (
  endpoint: SaslSslEndpoint,
  user: ScramCredentials,
  timeoutMs = 30_000,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await tryLogin(endpoint, user);
      return true;
    } catch (err) {
      if (isAuthenticationFailure(err)) return false;
      if (Date.now() > deadline) throw err;
      await delay(500);
    }
  }
};

const configUser = (bootstrapServers: string, name: string, change: readonly string[]) =>
  runKafkaTool('kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    bootstrapServers,
    '--alter',
    '--entity-type',
    'users',
    '--entity-name',
    name,
    ...change,
  ]);

/**
 * Makes every user of `endpoint` able to log in, and returns the ones it had to (re)write. A data directory
 * formatted by an earlier version holds only the single `local-dev` user: the missing users are added
 * through the PLAINTEXT listener (kafka-configs, as the super user ANONYMOUS), and `local-dev`, which no ACL
 * names any more, is removed. A fresh directory already has them all, so this costs one login per user.
 */
export const ensureScramUsers = async (
  plaintextBootstrap: string,
  endpoint: SaslSslEndpoint,
): Promise<readonly string[]> => {
  const users = Object.values(endpoint.users);
  const missing: ScramCredentials[] = [];
  for (const user of users) {
    if (!(await canAuthenticate(endpoint, user))) missing.push(user);
  }
  for (const user of missing) {
    await configUser(plaintextBootstrap, user.username, [
      '--add-config',
      `SCRAM-SHA-512=[password=${user.password}]`,
    ]);
  }
  if (missing.length === 0) return [];
  // Deleting a credential that is not there fails; that only means there was nothing to clean up.
  await configUser(plaintextBootstrap, LEGACY_LOCAL_USER, ['--delete-config', 'SCRAM-SHA-512']).catch(
    () => undefined,
  );
  // The new credentials reach the SASL listener through the metadata log, normally within milliseconds.
  const deadline = Date.now() + 15_000;
  for (const user of missing) {
    while (!(await canAuthenticate(endpoint, user))) {
      if (Date.now() > deadline) throw new Error(`SCRAM user ${user.username} still cannot log in`);
      await delay(200);
    }
  }
  return missing.map((user) => user.username);
};
