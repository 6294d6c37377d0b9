/** Time as the batch sees it; injected, so tests run a whole invocation on a fake clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `onFire` once, `ms` from now, unless the returned function cancels it first. */
  setTimer(ms: number, onFire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimer: (ms, onFire) => {
    const timer = setTimeout(onFire, ms);
    return () => clearTimeout(timer);
  },
};
