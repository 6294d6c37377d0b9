import { describe, expect, it } from 'vitest';
import { createJobRegistry, JobState } from '../../../shared/ui-api/redrive-jobs.js';

const t0 = 1_750_000_000_000;

const clock = () => {
  let now = t0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('redrive jobs', () => {
  it('adds up what each step sends, counts what earlier steps sent as done, and ends when complete', () => {
    // Prepare
    const time = clock();
    const jobs = createJobRegistry<{ group: string }>({ now: time.now });
    const job = jobs.create({ group: 'g1' }, 'alice', 'r-1');

    // Act
    time.advance(1_000);
    const first = jobs.record(job.id, {
      matched: 100,
      sent: 40,
      alreadyRedriven: 0,
      skipped: 0,
      complete: false,
    });
    time.advance(1_000);
    const second = jobs.record(job.id, {
      matched: 100,
      sent: 58,
      alreadyRedriven: 40,
      skipped: 2,
      complete: true,
    });

    // Assess
    expect(first).toMatchObject({ state: JobState.running, sent: 40, done: 40, etaSeconds: 2 });
    expect(second).toMatchObject({
      state: JobState.done,
      operator: 'alice',
      matched: 100,
      sent: 98,
      alreadyRedriven: 98,
      skipped: 2,
      done: 100,
    });
    expect(second?.etaSeconds).toBeUndefined();
  });

  it('cancels a running job and leaves a finished one as it was', () => {
    // Prepare
    const jobs = createJobRegistry<string>({ now: clock().now });
    const running = jobs.create('a', 'alice');
    const finished = jobs.create('b', 'alice');
    jobs.record(finished.id, { matched: 1, sent: 1, alreadyRedriven: 0, skipped: 0, complete: true });

    // Act
    const cancelled = jobs.cancel(running.id);
    const stillDone = jobs.cancel(finished.id);

    // Assess
    expect(cancelled?.state).toBe(JobState.cancelled);
    expect(stillDone?.state).toBe(JobState.done);
    expect(jobs.cancel('r-unknown')).toBeUndefined();
  });

  it('keeps at most maxJobs, dropping finished jobs before running ones', () => {
    // Prepare
    const jobs = createJobRegistry<string>({ now: clock().now, maxJobs: 2 });
    const finished = jobs.create('a', 'alice');
    jobs.record(finished.id, { matched: 0, sent: 0, alreadyRedriven: 0, skipped: 0, complete: true });
    const running = jobs.create('b', 'alice');

    // Act
    const newest = jobs.create('c', 'alice');

    // Assess
    expect(jobs.get(finished.id)).toBeUndefined();
    expect(jobs.get(running.id)?.state).toBe(JobState.running);
    expect(jobs.get(newest.id)?.state).toBe(JobState.running);
  });
});
