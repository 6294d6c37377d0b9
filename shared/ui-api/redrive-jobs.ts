import { randomBytes } from 'node:crypto';
import type { RedriveProgress, RedriveRequest, RedriveResult } from '../contract/operator.js';
import { JobState, type RedriveJobView } from '../contract/redrive-job.js';

/*
 * A bulk redrive from the UI runs as a job in the container that started it: the POST returns at
 * once, the run goes on, and the browser polls its progress. A Lambda container only runs while it
 * serves a request, so a progress poll waits (up to `waitMs`) for the run to move: the polls are what
 * keep the run going there. If the container is gone, the ledger still shows the run unfinished, and
 * running the same redrive again completes the rest with no duplicate and no gap.
 */

export type RunRedrive = (context: {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: RedriveProgress) => void;
}) => Promise<RedriveResult>;

interface Job {
  view: RedriveJobView;
  readonly controller: AbortController;
  waiters: Array<() => void>;
}

const copy = (job: Job): RedriveJobView => ({ ...job.view });

/** The redrive jobs of this container; at most `maxJobs`, the oldest finished ones dropped first. */
export const createRedriveJobs = (options: { readonly now: () => number; readonly maxJobs?: number }) => {
  const jobs = new Map<string, Job>();
  const maxJobs = options.maxJobs ?? 50;

  const touch = (job: Job, change: Partial<RedriveJobView>): void => {
    job.view = { ...job.view, ...change, updatedAt: options.now() };
    for (const wake of job.waiters.splice(0)) wake();
  };

  const evict = (): void => {
    for (const [id, job] of jobs) {
      if (jobs.size <= maxJobs) return;
      if (job.view.state !== JobState.running) jobs.delete(id);
    }
  };

  /** Starts a run; never rejects (a failed run is a job in state `failed` with its message). */
  const start = (request: RedriveRequest, operator: string, run: RunRedrive): RedriveJobView => {
    const now = options.now();
    const job: Job = {
      view: {
        id: `job-${randomBytes(9).toString('base64url')}`,
        state: JobState.running,
        operator,
        request,
        startedAt: now,
        updatedAt: now,
      },
      controller: new AbortController(),
      waiters: [],
    };
    jobs.set(job.view.id, job);
    evict();
    void run({
      signal: job.controller.signal,
      onProgress: (progress) => touch(job, { progress }),
    }).then(
      (result) => touch(job, { result, state: result.cancelled ? JobState.cancelled : JobState.done }),
      (error: unknown) =>
        touch(job, {
          state: job.controller.signal.aborted ? JobState.cancelled : JobState.failed,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return copy(job);
  };

  /** The job now, or after its next change when `waitMs` > 0 and it is still running. */
  const get = async (id: string, waitMs = 0): Promise<RedriveJobView | undefined> => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    if (waitMs > 0 && job.view.state === JobState.running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        job.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return copy(job);
  };

  /** Asks a running job to stop after the chunk in flight; what was sent stays in the ledger. */
  const cancel = (id: string): RedriveJobView | undefined => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    if (job.view.state === JobState.running) job.controller.abort();
    return copy(job);
  };

  /** A running job that is not a dry run: the service runs one such redrive at a time. */
  const activeRedrive = (): RedriveJobView | undefined => {
    for (const job of jobs.values()) {
      if (job.view.state === JobState.running && job.view.request.dryRun !== true) return copy(job);
    }
    return undefined;
  };

  /** Stops every running job (shutdown, tests). */
  const cancelAll = (): void => {
    for (const job of jobs.values()) job.controller.abort();
  };

  return { start, get, cancel, cancelAll, activeRedrive };
};

export type RedriveJobs = ReturnType<typeof createRedriveJobs>;
