import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  brokerOptionsFromEnv,
  type LocalBroker,
  type LocalBrokerOptions,
  startLocalBroker,
  stopRecordedBroker,
} from '../../../infra/local/broker/index.js';
import { freePort } from './free-port.js';

/** A broker a test may stop and start again, at the same address. */
export interface RestartableBroker {
  readonly bootstrapServers: string;
  /** Whose broker it is: the suite's own (`shared`) or one started for this test (`private`). */
  readonly kind: 'shared' | 'private';
  /** Stops the broker; resolves to the pid it stopped. */
  stop(): Promise<number | undefined>;
  /** Starts it again with the same ports and data. */
  start(): Promise<LocalBroker>;
  /** Stops a private broker and deletes its directory; leaves the shared one running. */
  close(): Promise<void>;
}

/**
 * The suite's broker when this run started it (so stopping it disturbs nobody), else a broker of the test's
 * own: free ports, its own data directory, no SASL listener. `npm start` or `KAFKA_BROKERS` may own the shared
 * one, and a test must never stop that.
 */
export const restartableBroker = async (shared: {
  bootstrapServers: string;
  restartable: boolean;
}): Promise<RestartableBroker> => {
  if (shared.restartable) {
    return {
      bootstrapServers: shared.bootstrapServers,
      kind: 'shared',
      stop: stopRecordedBroker,
      start: () => startLocalBroker(brokerOptionsFromEnv()),
      close: async () => undefined,
    };
  }
  const home = await mkdtemp(path.join(os.tmpdir(), 'orders-restart-broker-'));
  const options: LocalBrokerOptions = {
    home,
    port: await freePort(),
    controllerPort: await freePort(),
    heap: '512m',
  };
  let current: LocalBroker | undefined;
  try {
    current = await startLocalBroker(options);
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return {
    bootstrapServers: current.bootstrapServers,
    kind: 'private',
    stop: async () => {
      const pid = current?.pid;
      await current?.stop();
      current = undefined;
      return pid;
    },
    start: async () => {
      current = await startLocalBroker(options);
      return current;
    },
    close: async () => {
      await current?.stop();
      current = undefined;
      await rm(home, { recursive: true, force: true });
    },
  };
};
