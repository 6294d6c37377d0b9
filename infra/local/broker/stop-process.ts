import { setTimeout as delay } from 'node:timers/promises';
import { isProcessAlive } from './broker-state.js';

const signal = (pid: number, name: NodeJS.Signals): void => {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: nothing to stop.
  }
};

/**
 * SIGTERM (Kafka's controlled shutdown flushes logs and closes the metadata log cleanly), then SIGKILL once
 * the deadline passes. `exited` is used for our own child, whose pid stays valid until Node reaps it.
 */
export const stopProcess = async (
  pid: number,
  options: { timeoutMs?: number; exited?: Promise<unknown> } = {},
): Promise<void> => {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const gone = options.exited ?? waitUntilDead(pid, timeoutMs);
  // Cancel the deadline timers once the process is gone, so they do not hold the event loop open.
  const timers = new AbortController();
  const deadline = (ms: number) =>
    delay(ms, 'timeout' as const, { signal: timers.signal }).catch(() => 'aborted' as const);
  signal(pid, 'SIGTERM');
  try {
    if ((await Promise.race([gone.then(() => 'gone' as const), deadline(timeoutMs)])) === 'timeout') {
      signal(pid, 'SIGKILL');
      await Promise.race([gone, deadline(5_000)]);
    }
  } finally {
    timers.abort();
  }
};

const waitUntilDead = async (pid: number, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs + 5_000;
  while (isProcessAlive(pid) && Date.now() < deadline) {
    await delay(100);
  }
};
