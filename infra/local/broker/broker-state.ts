import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { KafkaUser } from './kafka-acls.js';
import { LOCAL_PATHS } from './paths.js';

export interface ScramCredentials {
  readonly username: string;
  readonly password: string;
}

export interface SaslSslEndpoint extends ScramCredentials {
  readonly bootstrapServers: string;
  readonly caPem: string;
  /**
   * `username`/`password` are the super user `orders-admin`'s; `users` holds every user, each limited by the
   * ACLs of kafka-acls.ts exactly as on AWS.
   */
  readonly users: Readonly<Record<KafkaUser, ScramCredentials>>;
}

/** What the pid file records, so a second caller can find and reuse a running broker. */
export interface BrokerState {
  readonly pid: number;
  readonly bootstrapServers: string;
  readonly saslSsl?: SaslSslEndpoint;
  readonly startedAt: string;
}

export const readBrokerState = (file: string = LOCAL_PATHS.state): BrokerState | undefined => {
  if (!existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BrokerState;
  } catch {
    // A torn write from a killed process; treat it as "no broker" and let the caller start a fresh one.
    return undefined;
  }
};

export const writeBrokerState = (state: BrokerState, file: string = LOCAL_PATHS.state): Promise<void> =>
  writeFile(file, `${JSON.stringify(state, null, 2)}\n`);

export const clearBrokerState = (file: string = LOCAL_PATHS.state): Promise<void> =>
  rm(file, { force: true });

export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM means it exists but belongs to someone else, which is still "alive".
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // On Linux, guard against a recycled pid that now belongs to an unrelated process.
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync(cmdline)) {
    return readFileSync(cmdline, 'utf8').includes('kafka.Kafka');
  }
  return true;
};
