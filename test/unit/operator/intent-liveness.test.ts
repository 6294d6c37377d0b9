import { describe, expect, it } from 'vitest';
import type { IntentHolder, LedgerIntentEntry } from '../../../shared/contract/ledger.js';
import {
  DefaultIntentTiming,
  type LivenessContext,
  waitBeforeSettling,
} from '../../../shared/operator/intent-liveness.js';
import { T0 } from '../helpers/records.js';
import { testHolder } from './fake-ports.js';

const timing = { sendStartMs: 10_000, sendWindowMs: 60_000, clockSkewMs: 30_000 };

const intent = (
  overrides: { at?: number; holder?: IntentHolder | null; runId?: string } = {},
): LedgerIntentEntry => {
  const { holder, ...rest } = overrides;
  return {
    type: 'intent',
    runId: rest.runId ?? 'run-1',
    generation: 1,
    at: rest.at ?? T0,
    records: ['orders.dlq:0:1'],
    targetEnds: { 'orders.v1': { '0': 0 } },
    operator: 'alice',
    targetTopics: ['orders.v1'],
    edited: false,
    ...(holder === null ? {} : { holder: holder ?? testHolder }),
  };
};

const context = (overrides: Partial<LivenessContext> = {}): LivenessContext => ({
  now: T0,
  self: testHolder,
  liveRuns: new Set(),
  isRunning: () => false,
  timing,
  ...overrides,
});

describe('waitBeforeSettling', () => {
  it('does not wait for an intent of this program whose run has ended', () => {
    expect(waitBeforeSettling(intent(), context())).toBe(0);
  });

  it('waits out the send window for a run of this program still going on', () => {
    const wait = waitBeforeSettling(intent(), context({ liveRuns: new Set(['run-1']) }));
    expect(wait).toBe(timing.sendWindowMs);
  });

  it('does not wait for a writer of this pid space whose process is gone', () => {
    const other = { ...testHolder, pid: 999, instance: 'other' };
    const asked: number[] = [];
    const wait = waitBeforeSettling(
      intent({ holder: other }),
      context({
        isRunning: (pid) => {
          asked.push(pid);
          return false;
        },
      }),
    );
    expect(wait).toBe(0);
    expect(asked).toEqual([999]);
  });

  it('waits for a running writer of this pid space until its intent is past the window and the skew', () => {
    const other = { ...testHolder, pid: 999, instance: 'other' };
    const fresh = waitBeforeSettling(intent({ holder: other }), context({ isRunning: () => true }));
    const old = waitBeforeSettling(
      intent({ holder: other, at: T0 - 10 * 60_000 }),
      context({ isRunning: () => true }),
    );
    expect(fresh).toBe(timing.sendWindowMs);
    // Past the window plus skew, a live process's send has been answered: only the age rules it out.
    expect(old).toBe(0);
  });

  it('never asks about a pid of another pid space', () => {
    const elsewhere = { space: 'other-host', pid: testHolder.pid, instance: 'other' };
    const wait = waitBeforeSettling(
      intent({ holder: elsewhere }),
      context({
        isRunning: () => {
          throw new Error('a pid of another host names another process here');
        },
      }),
    );
    expect(wait).toBe(timing.sendWindowMs);
  });

  it('waits for another host only until its intent is older than the send window and the clock skew', () => {
    const elsewhere = { space: 'other-host', pid: 1, instance: 'other' };
    const at = (age: number) => waitBeforeSettling(intent({ holder: elsewhere, at: T0 - age }), context());
    expect(at(0)).toBe(timing.sendWindowMs);
    expect(at(50_000)).toBe(40_000);
    expect(at(90_000)).toBe(0);
    expect(at(24 * 3_600_000)).toBe(0);
  });

  it('caps the wait at the send window when the writer clock is ahead of this one', () => {
    const elsewhere = { space: 'other-host', pid: 1, instance: 'other' };
    const wait = waitBeforeSettling(intent({ holder: elsewhere, at: T0 + 25_000 }), context());
    expect(wait).toBe(timing.sendWindowMs);
  });

  it('treats an intent that names no writer as another host', () => {
    expect(waitBeforeSettling(intent({ holder: null }), context({ isRunning: () => false }))).toBe(
      timing.sendWindowMs,
    );
    expect(waitBeforeSettling(intent({ holder: null, at: T0 - 120_000 }), context())).toBe(0);
  });

  it('starts a send well inside the window recovery waits out', () => {
    expect(DefaultIntentTiming.sendStartMs).toBeLessThan(DefaultIntentTiming.sendWindowMs);
  });
});
