import type { BatchLogger, Clock } from '../../../shared/consumer/process-batch.js';

interface FakeTimer {
  readonly at: number;
  readonly onFire: () => void;
  done: boolean;
}

/**
 * A clock that only moves when the code under test sleeps, by exactly the time asked for unless told
 * otherwise. A timer fires when a sleep carries the clock past it, or, when nothing else is left to run
 * (the code under test waits on something that never settles), the clock jumps to it, as a real
 * invocation would reach its deadline.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private readonly timers: FakeTimer[] = [];
  constructor(
    private time: number,
    /** Lets a test make a timer fire early, as real timers may. */
    private readonly sleepsFor: (ms: number) => number = (ms) => ms,
  ) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += this.sleepsFor(ms);
    this.fireDue();
  }

  setTimer(ms: number, onFire: () => void): () => void {
    const timer: FakeTimer = { at: this.time + ms, onFire, done: false };
    this.timers.push(timer);
    // setImmediate runs only once every pending promise reaction has run: the code under test is idle.
    const idle = setImmediate(() => {
      if (timer.done) return;
      this.time = Math.max(this.time, timer.at);
      this.fireDue();
    });
    return () => {
      timer.done = true;
      clearImmediate(idle);
    };
  }

  private fireDue(): void {
    for (const timer of this.timers) {
      if (!timer.done && timer.at <= this.time) {
        timer.done = true;
        timer.onFire();
      }
    }
  }
}

interface Wake {
  readonly at: number;
  readonly fire: () => void;
  done: boolean;
}

/**
 * A clock on which concurrent sleeps overlap, as real ones do: time stands still while the code under
 * test has work to do, and when it is idle (every pending promise reaction has run) time jumps to the
 * earliest sleep or timer, which then fires. `FakeClock` instead adds every sleep to the time at once,
 * which is exact for one record at a time but makes concurrent waits add up.
 */
export class VirtualClock implements Clock {
  private readonly wakes: Wake[] = [];
  private armed = false;
  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.schedule(ms, resolve);
    });
  }

  setTimer(ms: number, onFire: () => void): () => void {
    const wake = this.schedule(ms, onFire);
    return () => {
      wake.done = true;
    };
  }

  private schedule(ms: number, fire: () => void): Wake {
    const wake: Wake = { at: this.time + ms, fire, done: false };
    this.wakes.push(wake);
    this.arm();
    return wake;
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
      const pending = this.wakes.filter((wake) => !wake.done);
      if (pending.length === 0) return;
      this.time = Math.max(this.time, Math.min(...pending.map((wake) => wake.at)));
      for (const wake of pending) {
        if (wake.at <= this.time) {
          wake.done = true;
          wake.fire();
        }
      }
      if (this.wakes.some((wake) => !wake.done)) this.arm();
    });
  }
}

type LogLine = { level: 'info' | 'warn'; message: string; keys: Record<string, unknown> };

/** A logger that records each line with the fields it was given, at INFO unless told otherwise. */
export class RecordingLogger implements BatchLogger {
  readonly lines: LogLine[] = [];
  constructor(readonly level = 12) {}

  info(message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, keys: { ...fields } });
  }

  warn(message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, keys: { ...fields } });
  }
}
