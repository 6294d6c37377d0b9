import { vi } from 'vitest';
import type { BatchLogger, Clock } from '../../../shared/consumer/process-batch.js';

/** A clock that only moves when the code under test sleeps, by exactly the time asked for unless told otherwise. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
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
  }
}

/** A logger that keeps the current appended keys, so a test can see what a log line would carry. */
export class RecordingLogger implements BatchLogger {
  readonly keys = new Map<string, unknown>();
  readonly lines: { level: 'info' | 'warn'; message: string; keys: Record<string, unknown> }[] = [];
  readonly appendKeys = vi.fn((keys: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(keys)) this.keys.set(name, value);
  });
  readonly removeKeys = vi.fn((names: string[]) => {
    for (const name of names) this.keys.delete(name);
  });

  info(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push({ level: 'info', message, keys: Object.assign(Object.fromEntries(this.keys), ...extra) });
  }

  warn(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push({ level: 'warn', message, keys: Object.assign(Object.fromEntries(this.keys), ...extra) });
  }
}
