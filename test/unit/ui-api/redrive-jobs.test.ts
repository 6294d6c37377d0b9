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

type RunContext = Parameters<Parameters<ReturnType<typeof createRedriveJobs>['start']>[2]>[0];

/** A run the test steps by hand: report progress, wait at its gate, then finish or wait for the abort. */
const manualRun = () => {
  let context: RunContext | undefined;
  let finish: (value: RedriveResult) => void = () => undefined;
  const run = (given: RunContext) => {
    context = given;
    return new Promise<RedriveResult>((resolve) => {
      finish = resolve;
      given.signal.addEventListener('abort', () => resolve(result(true)));
    });
  };
  return {
    run,
    report: (value: RedriveProgress) => context?.onProgress(value),
    /** What a real run does between two chunks. */
    gate: () => context?.beforeChunk() ?? Promise.resolve(),
    finish: (v: RedriveResult) => finish(v),
    signal: () => context?.signal,
  };
};

/** A run of `chunks` chunks whose sends the test releases one by one, as `runRedrive` uses the gate. */
const chunkedRun = (chunks: number) => {
  const sent: number[] = [];
  const sends: Array<() => void> = [];
  let sending = false;
  const run = async ({ beforeChunk, onProgress }: RunContext): Promise<RedriveResult> => {
    for (let chunk = 1; chunk <= chunks; chunk += 1) {
      await beforeChunk();
      sending = true;
      await new Promise<void>((resolve) => sends.push(resolve));
      sending = false;
      sent.push(chunk);
      onProgress(progress(chunk));
    }
    return result(false);
  };
  return {
    run,
    sent,
    isSending: () => sending,
    /** Lets the send in flight be acknowledged. */
    acknowledge: () => sends.shift()?.(),
  };
};

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('UI redrive jobs', () => {
  it('reports progress to a waiting poll as soon as the run moves, then the result', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);

    // Act
    const waiting = jobs.attend(job.id, 60_000);
    run.report(progress(4));
    void run.gate();
    const moved = await waiting;
    run.finish(result(false));
    const finished = await jobs.attend(job.id, 60_000);

    // Assess
    expect(job).toMatchObject({ state: JobState.running, operator: 'alice', request });
    expect(moved?.progress?.sent).toBe(4);
    expect(finished).toMatchObject({ state: JobState.done, result: { sent: 10 } });
  });

  it('moves only while a request attends it, and waits at its gate between chunks otherwise', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });
    const run = chunkedRun(3);
    const job = jobs.start(request, 'alice', run.run);
    await macrotask();
    const beforeAnyPoll = [...run.sent];

    // Act: one poll; its chunk is acknowledged while it waits
    const poll = jobs.attend(job.id, 60_000);
    await macrotask();
    run.acknowledge();
    const afterPoll = await poll;
    await macrotask();
    await macrotask();

    // Assess: nothing moved before the poll, one chunk during it, and the run waits again after it
    expect(beforeAnyPoll).toEqual([]);
    expect(afterPoll?.progress?.sent).toBe(1);
    expect(run.sent).toEqual([1]);
    expect(run.isSending()).toBe(false);
    expect(jobs.get(job.id)?.state).toBe(JobState.running);
  });

  it('answers only once the chunk in flight is sent, so a frozen container holds no unsent chunk', async () => {
    // Prepare: a poll moves the run into its first chunk's send
    const jobs = createRedriveJobs({ now: Date.now });
    const run = chunkedRun(2);
    const job = jobs.start(request, 'alice', run.run);
    await macrotask();
    let answered = false;

    // Act: the poll's wait ends (no progress within 1 ms) while the send is still in flight
    const poll = jobs.attend(job.id, 1).then((view) => {
      answered = true;
      return view;
    });
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    const answeredWhileSending = answered;
    const wasSending = run.isSending();
    run.acknowledge();
    const view = await poll;

    // Assess
    expect(wasSending).toBe(true);
    expect(answeredWhileSending).toBe(false);
    expect(view?.progress?.sent).toBe(1);
    expect(run.isSending()).toBe(false);
  });

  it('cancels a running job through its signal, also while it waits at its gate', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);
    const gate = run.gate();

    // Act
    jobs.cancel(job.id);
    const after = await jobs.attend(job.id, 60_000);

    // Assess
    expect(run.signal()?.aborted).toBe(true);
    await expect(gate).rejects.toThrow();
    expect(after).toMatchObject({ state: JobState.cancelled, result: { cancelled: true, sent: 4 } });
  });

  it('cancels itself when no request attends it for a while (the browser went away)', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now, abandonAfterMs: 20 });
    const run = chunkedRun(2);
    const job = jobs.start(request, 'alice', run.run);

    // Act: nobody polls
    await new Promise<void>((resolve) => setTimeout(resolve, 60));

    // Assess: it ended before its first chunk, as a cancelled job, and no longer holds the container
    expect(run.sent).toEqual([]);
    expect(jobs.get(job.id)).toMatchObject({ state: JobState.cancelled });
    expect(jobs.activeRedrive()).toBeUndefined();
  });

  it('records a failed run with its message instead of rejecting', async () => {
    // Prepare
    const jobs = createRedriveJobs({ now: Date.now });

    // Act
    const job = jobs.start(request, 'alice', async () => {
      throw new Error('broker gone');
    });
    const after = await jobs.attend(job.id, 60_000);

    // Assess
    expect(after).toMatchObject({ state: JobState.failed, error: 'broker gone' });
    expect(await jobs.attend('job-unknown')).toBeUndefined();
  });
});
