import { describe, expect, it } from 'vitest';
import type { RedriveProgress, RedriveRequest, RedriveResult } from '../../../shared/contract/operator.js';
import { JobState } from '../../../shared/contract/redrive-job.js';
import { createRedriveJobs } from '../../../shared/ui-api/redrive-jobs.js';

const request: RedriveRequest = { selection: { kind: 'group', fingerprint: 'fp-1' }, target: 'origin' };

const progress = (sent: number): RedriveProgress => ({
  runId: 'run-1',
  phase: 'sending',
  scanned: 10,
  matched: 10,
  sent,
  alreadyRedriven: 0,
  skipped: 0,
  ratePerSecond: 100,
});

const result = (cancelled: boolean): RedriveResult => ({
  runId: 'run-1',
  generation: 1,
  dryRun: false,
  cancelled,
  target: 'origin',
  scanned: 10,
  matched: 10,
  sent: cancelled ? 4 : 10,
  recovered: 0,
  alreadyRedriven: 0,
  skipped: [],
  planned: [],
});

/** A run the test steps by hand: report progress, then finish or wait for the abort. */
const manualRun = () => {
  let report: (value: RedriveProgress) => void = () => undefined;
  let finish: (value: RedriveResult) => void = () => undefined;
  let signal: AbortSignal | undefined;
  const run = (context: { signal: AbortSignal; onProgress: (value: RedriveProgress) => void }) => {
    report = context.onProgress;
    signal = context.signal;
    return new Promise<RedriveResult>((resolve) => {
      finish = resolve;
      context.signal.addEventListener('abort', () => resolve(result(true)));
    });
  };
  return {
    run,
    report: (value: RedriveProgress) => report(value),
    finish: (v: RedriveResult) => finish(v),
    signal: () => signal,
  };
};

describe('UI redrive jobs', () => {
  it('reports progress to a waiting poll as soon as the run moves, then the result', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);

    // Act
    const waiting = jobs.get(job.id, 60_000);
    run.report(progress(4));
    const moved = await waiting;
    run.finish(result(false));
    const finished = await jobs.get(job.id, 60_000);

    // Assess
    expect(job).toMatchObject({ state: JobState.running, operator: 'alice', request });
    expect(moved?.progress?.sent).toBe(4);
    expect(finished).toMatchObject({ state: JobState.done, result: { sent: 10 } });
  });

  it('cancels a running job through its signal', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);

    // Act
    jobs.cancel(job.id);
    const after = await jobs.get(job.id, 60_000);

    // Assess
    expect(run.signal()?.aborted).toBe(true);
    expect(after).toMatchObject({ state: JobState.cancelled, result: { cancelled: true, sent: 4 } });
  });

  it('records a failed run with its message instead of rejecting', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });

    // Act
    const job = jobs.start(request, 'alice', async () => {
      throw new Error('broker gone');
    });
    const after = await jobs.get(job.id, 60_000);

    // Assess
    expect(after).toMatchObject({ state: JobState.failed, error: 'broker gone' });
    expect(await jobs.get('job-unknown')).toBeUndefined();
  });
});
