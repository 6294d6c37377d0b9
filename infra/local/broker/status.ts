import { type BrokerState, clearBrokerState, isProcessAlive, readBrokerState } from './broker-state.js';
import { probeBroker } from './readiness.js';
import { stopProcess } from './stop-process.js';

export interface BrokerStatus {
  readonly state?: BrokerState;
  readonly processAlive: boolean;
  readonly answering: boolean;
}

/** What the pid file says, and whether that broker is alive and answering. */
export const brokerStatus = async (): Promise<BrokerStatus> => {
  const state = readBrokerState();
  const processAlive = state !== undefined && isProcessAlive(state.pid);
  const answering = processAlive && state !== undefined && (await probeBroker(state.bootstrapServers));
  return { state, processAlive, answering };
};

/**
 * Stops the broker recorded in the pid file, whoever started it (the `stop` command's job).
 * Returns the pid it stopped, or undefined when none was running.
 */
export const stopRecordedBroker = async (): Promise<number | undefined> => {
  const state = readBrokerState();
  if (state === undefined || !isProcessAlive(state.pid)) {
    await clearBrokerState();
    return undefined;
  }
  // Cleared first, so the foreground `start` that owns this broker sees a requested stop, not a crash.
  await clearBrokerState();
  await stopProcess(state.pid);
  return state.pid;
};
