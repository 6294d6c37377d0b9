import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedriveProgress, RedriveRequest, RedriveResult } from '../../../shared/contract/operator.js';
import { JobState } from '../../../shared/contract/redrive-job.js';
import { createOperatorService } from '../../../shared/operator/service.js';
import { createRedriveJobs } from '../../../shared/ui-api/redrive-jobs.js';
import { dlqOf, fakeOperatorPorts, ledgerWriteKind } from '../operator/fake-ports.js';

const everything = { selection: { kind: 'filter', filter: {} }, target: 'origin' } as const;

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

/** A run the test steps by hand: report progress, pass a chunk through its guard, finish or wait for the abort. */
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
    started: () => context !== undefined,
    report: (value: RedriveProgress) => context?.onProgress(value),
    /** What a real run does for each chunk: announce and send it inside the guard. */
    chunk: () => context?.guardChunk(async () => undefined) ?? Promise.resolve(),
    finish: (v: RedriveResult) => finish(v),
    signal: () => context?.signal,
  };
};

/** A run of `chunks` chunks whose sends the test acknowledges one by one. */
const chunkedRun = (chunks: number) => {
  const sent: number[] = [];
  const sends: Array<() => void> = [];
  let sending = false;
  let started = false;
  const run = async ({ guardChunk, onProgress }: RunContext): Promise<RedriveResult> => {
    started = true;
    for (let chunk = 1; chunk <= chunks; chunk += 1) {
      await guardChunk(async () => {
        sending = true;
        await new Promise<void>((resolve) => sends.push(resolve));
        sending = false;
      });
      sent.push(chunk);
      onProgress(progress(chunk));
    }
    return result(false);
  };
  return {
    run,
    sent,
    started: () => started,
    isSending: () => sending,
    /** Lets the send in flight be acknowledged. */
    acknowledge: () => sends.shift()?.(),
  };
};

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('UI redrive jobs', () => {
  let jobs: ReturnType<typeof createRedriveJobs> | undefined;
  const createJobs = (options: { abandonAfterMs?: number } = {}) => {
    jobs = createRedriveJobs({ now: Date.now, ...options });
    return jobs;
  };
  afterEach(() => jobs?.cancelAll());

  it('reports progress to a waiting poll as soon as the run moves, then the result', async () => {
    // Prepare
    const jobs = createJobs();
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);

    // Act
    const waiting = jobs.attend(job.id, 60_000);
    await macrotask();
    run.report(progress(4));
    void run.chunk();
    const moved = await waiting;
    run.finish(result(false));
    const finished = await jobs.attend(job.id, 60_000);

    // Assess
    expect(job).toMatchObject({ state: JobState.running, operator: 'alice', request });
    expect(moved?.progress?.sent).toBe(4);
    expect(finished).toMatchObject({ state: JobState.done, result: { sent: 10 } });
  });

  it('starts, and goes on past each chunk, only while a request attends it', async () => {
    // Prepare
    const jobs = createJobs();
    const run = chunkedRun(3);
    const job = jobs.start(request, 'alice', run.run);
    await macrotask();
    const startedBeforeAnyRequest = run.started();

    // Act: one poll; its chunk is acknowledged while it waits
    const poll = jobs.attend(job.id, 60_000);
    await macrotask();
    run.acknowledge();
    await poll;
    await macrotask();
    await macrotask();

    // Assess: nothing ran before the poll, one chunk during it, and the run waits again after it
    expect(startedBeforeAnyRequest).toBe(false);
    expect(run.sent).toEqual([1]);
    expect(run.isSending()).toBe(false);
    expect(jobs.get(job.id)).toMatchObject({ state: JobState.running, progress: { sent: 1 } });
  });

  it('answers only once the chunk in flight is sent, so a frozen container holds no unsent chunk', async () => {
    // Prepare: a poll moves the run into its first chunk's send
    const jobs = createJobs();
    const run = chunkedRun(2);
    const job = jobs.start(request, 'alice', run.run);
    let answered = false;

    // Act: the poll's own wait ends (1 ms) while the send is still in flight
    const poll = jobs.attend(job.id, 1).then((view) => {
      answered = true;
      return view;
    });
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    const answeredWhileSending = answered;
    const wasSending = run.isSending();
    run.acknowledge();
    await poll;

    // Assess
    expect(wasSending).toBe(true);
    expect(answeredWhileSending).toBe(false);
    expect(run.isSending()).toBe(false);
  });

  it('answers only once the chunk in flight is recorded, so a frozen container leaves no intent behind', async () => {
    // Prepare: a run whose chunk is sent at once and recorded when the test says
    const jobs = createJobs();
    let record: () => void = () => undefined;
    const recorded = new Promise<void>((resolve) => {
      record = resolve;
    });
    let sent = false;
    const job = jobs.start(request, 'alice', async ({ guardChunk }) => {
      await guardChunk(async () => {
        sent = true;
      }, recorded);
      await recorded;
      return result(false);
    });
    let answered = false;

    // Act
    const poll = jobs.attend(job.id, 1).then((view) => {
      answered = true;
      return view;
    });
    await delay(20);
    const answeredBeforeRecorded = answered;
    record();
    await poll;

    // Assess
    expect(sent).toBe(true);
    expect(answeredBeforeRecorded).toBe(false);
    expect(answered).toBe(true);
  });

  it('leaves no announced chunk unsent at any answer, over a real run of many chunks', async () => {
    // Prepare: the real redrive over memory, with intents and sends that take a while
    const jobs = createJobs();
    let announced = 0;
    let acknowledged = 0;
    const ports = fakeOperatorPorts(dlqOf(40), {
      writeLedger: async (_runId, entries) => {
        await delay(2);
        if (ledgerWriteKind(entries) === 'intent') announced += 1;
      },
      publish: async () => {
        await delay(3);
        acknowledged += 1;
      },
    });
    const service = createOperatorService(ports, { chunkSize: 4, progressEveryMs: 0 });
    const job = jobs.start(request, 'alice', (context) =>
      service.redrive(everything, { operator: { name: 'alice' }, ...context }),
    );

    // Act: poll until done, each poll's own wait shorter than a chunk
    const atAnswers: Array<[number, number]> = [];
    let view = await jobs.attend(job.id, 1);
    atAnswers.push([announced, acknowledged]);
    while (view?.state === JobState.running) {
      view = await jobs.attend(job.id, 1);
      atAnswers.push([announced, acknowledged]);
    }

    // Assess: every chunk whose intent was written had its send acknowledged before each answer
    expect(view).toMatchObject({ state: JobState.done, result: { sent: 40 } });
    expect(atAnswers.length).toBeGreaterThan(3);
    expect(atAnswers.filter(([intents, sends]) => intents !== sends)).toEqual([]);
  });

  it('cancels a running job through its signal, also while it waits at its gate', async () => {
    // Prepare
    const jobs = createJobs();
    const run = manualRun();
    const job = jobs.start(request, 'alice', run.run);
    await jobs.attend(job.id, 5);
    const chunk = run.chunk();

    // Act
    jobs.cancel(job.id);
    const after = await jobs.attend(job.id, 60_000);

    // Assess
    expect(run.signal()?.aborted).toBe(true);
    await expect(chunk).rejects.toThrow();
    expect(after).toMatchObject({ state: JobState.cancelled, result: { cancelled: true, sent: 4 } });
  });

  it('cancels itself when no request attends it for a while (the browser went away)', async () => {
    // Prepare
    const jobs = createJobs({ abandonAfterMs: 20 });
    const run = chunkedRun(2);
    const job = jobs.start(request, 'alice', run.run);

    // Act: nobody polls
    await new Promise<void>((resolve) => setTimeout(resolve, 60));

    // Assess: it ended without running, as a cancelled job, and no longer holds the container
    expect(run.started()).toBe(false);
    expect(jobs.get(job.id)).toMatchObject({ state: JobState.cancelled });
    expect(jobs.activeRedrive()).toBeUndefined();
  });

  it('counts a job told to stop until its run has ended, and lets a new redrive wait for that', async () => {
    // Prepare: a run that takes a while to wind down after its cancel (a chunk being recorded)
    const jobs = createJobs();
    const job = jobs.start(request, 'alice', ({ signal }) => {
      return new Promise<RedriveResult>((resolve) => {
        signal.addEventListener('abort', () => setTimeout(() => resolve(result(true)), 20));
      });
    });
    await jobs.attend(job.id, 5);

    // Act
    jobs.cancel(job.id);
    const rightAfterCancel = jobs.activeRedrive();
    await jobs.settleStopping(1_000);

    // Assess
    expect(rightAfterCancel?.id).toBe(job.id);
    expect(jobs.activeRedrive()).toBeUndefined();
    expect(jobs.get(job.id)?.state).toBe(JobState.cancelled);
  });

  it('abandons a job left waiting through a long freeze before a new redrive is checked against it', async () => {
    // Prepare: the container's clock jumps past the abandon time, as after a thaw, before any timer fires
    let clock = 1_000_000;
    const jobs = createJobs({ abandonAfterMs: 60_000 });
    const thawing = createRedriveJobs({ now: () => clock, abandonAfterMs: 60_000 });
    const run = chunkedRun(2);
    const job = thawing.start(request, 'alice', run.run);
    await macrotask();
    clock += 120_000;

    // Act
    const before = thawing.activeRedrive();
    await thawing.settleStopping(1_000);

    // Assess
    expect(before?.id).toBe(job.id);
    expect(thawing.activeRedrive()).toBeUndefined();
    expect(thawing.get(job.id)?.state).toBe(JobState.cancelled);
    expect(run.started()).toBe(false);
    jobs.cancelAll();
  });

  it('records a failed run with its message instead of rejecting', async () => {
    // Prepare
    const jobs = createJobs();

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
