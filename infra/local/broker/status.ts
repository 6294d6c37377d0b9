import { type BrokerState, clearBrokerState, isProcessAlive, readBrokerState } from './broker-state.js';
import { LOCAL_PATHS } from './paths.js';
import { probeBroker } from './readiness.js';
import { stopProcess } from './stop-process.js';

export interface BrokerStatus {
  readonly state?: BrokerState;
  readonly processAlive: boolean;
  readonly answering: boolean;
}

/** What the pid file says, and whether that broker is alive and answering. */
export const brokerStatus = async (stateFile: string = LOCAL_PATHS.state): Promise<BrokerStatus> => {
  const state = readBrokerState(stateFile);
  const processAlive = state !== undefined && isProcessAlive(state.pid);
  const answering = processAlive && state !== undefined && (await probeBroker(state.bootstrapServers));
  return { state, processAlive, answering };
};

/**
 * Stops the broker recorded in the pid file, whoever started it (the `stop` command's job).
 * Returns the pid it stopped, or undefined when none was running.
 */
export const stopRecordedBroker = async (
  stateFile: string = LOCAL_PATHS.state,
): Promise<number | undefined> => {
  const state = readBrokerState(stateFile);
  if (state === undefined || !isProcessAlive(state.pid)) {
    await clearBrokerState(stateFile);
    return undefined;
  }
  // Cleared first, so the foreground `start` that owns this broker sees a requested stop, not a crash.
  await clearBrokerState(stateFile);
  await stopProcess(state.pid);
  return state.pid;
};
