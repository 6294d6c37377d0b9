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

  it('settles a race begun after the deadline at once, and never calls its step back', async () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const deadline = startBatchDeadline(clock, () => 1_000);
    const timer = deadline.timer();
    await timer.race(new Promise(() => undefined));
    const then = vi.fn();

    // Act
    const outcome = await timer.race({ then } as unknown as Promise<void>);

    // Assess
    expect(outcome).toBe(deadlineReached);
    expect(then).not.toHaveBeenCalled();
    expect(deadline.remainingMs()).toBe(0);
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
