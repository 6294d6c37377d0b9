import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { LOCAL_PATHS } from './paths.js';

/**
 * The last lines of the broker and JVM logs, for error messages that explain a failed start. The last ERROR
 * line goes first, because a stack trace alone often pushes the actual cause out of the tail.
 */
export const brokerLogTail = (
  lineCount = 40,
  files: readonly string[] = [LOCAL_PATHS.brokerLog, LOCAL_PATHS.jvmLog],
): string =>
  files
    .filter((file) => existsSync(file))
    .map((file) => {
      const all = readFileSync(file, 'utf8').trimEnd().split('\n');
      const lastError = all.findLast((line) => line.includes(' ERROR '));
      const tail = all.slice(-lineCount);
      const header = `--- ${file} (last ${tail.length} lines) ---`;
      return [...(lastError ? [`last ERROR: ${lastError}`] : []), header, ...tail].join('\n');
    })
    .join('\n');

/** One metadata round trip: true when the broker answers `DescribeCluster` with at least one broker. */
export const probeBroker = async (bootstrapServers: string, timeoutMs = 2_000): Promise<boolean> => {
  const admin = new Kafka({
    clientId: 'local-broker-probe',
    brokers: bootstrapServers.split(','),
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    // Refused connections are the expected state while the JVM boots; do not print them.
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/**
 * Polls the broker until it answers or the deadline passes. `hasExited` lets a crashed JVM fail the wait at
 * once instead of at the deadline. Both failures carry the broker log tail.
 */
export const waitForBroker = async (
  bootstrapServers: string,
  options: { timeoutMs: number; hasExited?: () => boolean; logFiles?: readonly string[] },
): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.hasExited?.()) {
      throw new Error(`Kafka broker exited during start-up.\n${brokerLogTail(40, options.logFiles)}`);
    }
    if (await probeBroker(bootstrapServers)) {
      return;
    }
    await delay(250);
  }
  throw new Error(
    `Kafka broker at ${bootstrapServers} was not ready within ${options.timeoutMs} ms.\n${brokerLogTail(40, options.logFiles)}`,
  );
};
