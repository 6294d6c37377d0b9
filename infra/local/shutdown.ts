import { setTimeout as delay } from 'node:timers/promises';

type Cleanup = () => Promise<unknown>;

export interface Shutdown {
  /** Aborts when a stop is requested: startup steps check it and give up instead of starting more. */
  readonly signal: AbortSignal;
  readonly stopping: boolean;
  /** Registers what undoes a step that finished; cleanups run last registered first. */
  onStop(name: string, cleanup: Cleanup): void;
  /**
   * Aborts the startup, lets it settle (for at most `graceMs`: a step that cannot be aborted must not hold
   * the stop forever), then runs every cleanup. Each cleanup runs even if an earlier one fails; their
   * failures are returned, named. Later calls return the first call's result.
   */
  stop(startup?: Promise<unknown>, graceMs?: number): Promise<string[]>;
}

/**
 * The undo list of `npm start`. Each step registers its cleanup as soon as what it started exists, so a
 * Ctrl-C in any phase stops exactly what has been started so far, in reverse order.
 */
export const createShutdown = (): Shutdown => {
  const controller = new AbortController();
  const cleanups: Array<{ name: string; cleanup: Cleanup }> = [];
  let stopped: Promise<string[]> | undefined;

  const runCleanups = async (startup: Promise<unknown> | undefined, graceMs: number): Promise<string[]> => {
    controller.abort(new Error('stop requested'));
    if (startup) {
      const grace = new AbortController();
      await Promise.race([
        startup.then(
          () => undefined,
          () => undefined,
        ),
        delay(graceMs, undefined, { signal: grace.signal }).catch(() => undefined),
      ]);
      grace.abort();
    }
    const failures: string[] = [];
    for (const { name, cleanup } of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failures;
  };

  return {
    signal: controller.signal,
    get stopping() {
      return stopped !== undefined;
    },
    onStop: (name, cleanup) => {
      cleanups.push({ name, cleanup });
    },
    stop: (startup, graceMs = 10_000) => {
      stopped ??= runCleanups(startup, graceMs);
      return stopped;
    },
  };
};
