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
