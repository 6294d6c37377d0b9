import { describe, expect, it, vi } from 'vitest';
import { deadlineReached, startBatchDeadline } from '../../../shared/consumer/batch-deadline.js';
import { VirtualClock } from '../helpers/fakes.js';
import { T0 } from '../helpers/records.js';

describe('startBatchDeadline', () => {
  it("gives a race its step's value, or its step's rejection, while time is left", async () => {
    // Prepare
    const timer = startBatchDeadline(new VirtualClock(T0), () => 1_000).timer();

    // Act
    const value = timer.race(Promise.resolve('done'));
    const failure = timer.race(Promise.reject(new Error('step failed')));

    // Assess
    await expect(value).resolves.toBe('done');
    await expect(failure).rejects.toThrow('step failed');
  });

  it('settles every open race with deadlineReached when the deadline passes, and aborts the signal', async () => {
    // Prepare: steps that never finish
    const clock = new VirtualClock(T0);
    const timer = startBatchDeadline(clock, () => 1_000).timer();
    const never = new Promise<void>(() => undefined);

    // Act
    const outcomes = await Promise.all([timer.race(never), timer.race(never), timer.race(never)]);

    // Assess
    expect(outcomes).toEqual([deadlineReached, deadlineReached, deadlineReached]);
    expect(timer.signal.aborted).toBe(true);
    expect(clock.now()).toBe(T0 + 1_000);
  });

  it('settles a race begun after the deadline at once, and observes a rejection of its abandoned step', async () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const deadline = startBatchDeadline(clock, () => 1_000);
    const timer = deadline.timer();
    await timer.race(new Promise(() => undefined));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);

    try {
      // Act: an abort-aware step rejects on the signal it was handed, already aborted.
      const outcome = await timer.race(Promise.reject(new Error('aborted')));
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(outcome).toBe(deadlineReached);
      expect(unhandled).toEqual([]);
      expect(deadline.remainingMs()).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('arms one timer for the batch, on first use, and none when the budget is already spent', () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const setTimer = vi.spyOn(clock, 'setTimer');

    // Act
    const deadline = startBatchDeadline(clock, () => 1_000);
    const armedBefore = setTimer.mock.calls.length;
    const first = deadline.timer();
    const second = deadline.timer();
    const spent = startBatchDeadline(clock, () => 0).timer();

    // Assess
    expect(armedBefore).toBe(0);
    expect(second).toBe(first);
    expect(setTimer).toHaveBeenCalledTimes(1);
    expect(spent.signal.aborted).toBe(true);
  });
});
