import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Says what was awaited, for the timeout error. */
  readonly description?: string;
}

/**
 * Polls `check` until it returns something other than undefined or false, and returns that value. Fails at
 * the deadline with the last error `check` threw, so a timeout explains itself. Tests poll instead of sleeping.
 */
export const waitFor = async <T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitForOptions,
): Promise<T> => {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.description ?? 'a condition'}`,
        {
          cause: lastError,
        },
      );
    }
    await delay(options.intervalMs ?? 100);
  }
};
