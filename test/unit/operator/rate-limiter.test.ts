import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../shared/operator/rate-limiter.js';

// A virtual clock: sleeping advances it, so the test sees the waits without taking them.
const virtualClock = () => {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
};

describe('RateLimiter', () => {
  it('lets the first second through at once, then holds the rate', async () => {
    // Prepare
    const clock = virtualClock();
    const limiter = new RateLimiter(100, clock.now, clock.sleep);

    // Act
    await limiter.take(100);
    await limiter.take(50);
    await limiter.take(50);

    // Assess
    expect(clock.sleeps).toEqual([500, 500]);
    expect(clock.now()).toBe(1_000);
  });

  it('does not wait when the records arrive slower than the rate', async () => {
    // Prepare
    const clock = virtualClock();
    const limiter = new RateLimiter(100, clock.now, clock.sleep);
    await limiter.take(100);

    // Act
    await clock.sleep(2_000);
    clock.sleeps.length = 0;
    await limiter.take(100);

    // Assess
    expect(clock.sleeps).toEqual([]);
  });

  it('stops waiting when the signal aborts', async () => {
    // Prepare
    const limiter = new RateLimiter(1, Date.now, (_ms, signal) =>
      signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(),
    );
    await limiter.take(1);
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));

    // Act
    const take = limiter.take(10, cancel.signal);

    // Assess
    await expect(take).rejects.toThrow('cancelled');
  });
});
