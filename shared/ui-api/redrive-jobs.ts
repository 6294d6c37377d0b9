import { randomBytes } from 'node:crypto';
import type { RedriveProgress, RedriveRequest, RedriveResult } from '../contract/operator.js';
import { JobState, type RedriveJobView } from '../contract/redrive-job.js';

/*
 * A bulk redrive from the UI runs as a job in the container that started it, and the browser polls
 * its progress. A Lambda container runs only while it serves a request and is frozen, wherever its
 * code is, once the response is out. So a job moves only while a request attends it (the start and
 * each progress poll), and before such a request answers, the job is brought to its gate between two
 * chunks: a frozen container never holds a chunk announced in the ledger but not sent, which a later
 * run elsewhere would settle as unsent and send again while this one, thawed, sent it too. If the
 * container is gone, the ledger still shows the run unfinished, and running the same redrive again
 * completes the rest with no duplicate and no gap.
 */

export type RunRedrive = (context: {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: RedriveProgress) => void;
  /** The run awaits this before each chunk; it returns at once while a request attends the job. */
  readonly beforeChunk: () => Promise<void>;
}) => Promise<RedriveResult>;

interface Job {
  view: RedriveJobView;
  readonly controller: AbortController;
  waiters: Array<() => void>;
  /** Requests attending the job now; the run waits at its gate while there are none. */
  attending: number;
  /** Set while the run waits at its gate: lets it go on. */
  resume: (() => void) | undefined;
}

/** How long a response waits for its job to reach the gate (a chunk's send to a dead broker can hang). */
const defaultParkWaitMs = 8_000;

/**
 * How long a job waits at its gate for a request before it cancels itself: the browser that polled it
 * is gone (a closed tab), and a job nobody watches would hold the container's one redrive for good.
 * The ledger keeps the run unfinished; starting the same redrive again completes it.
 */
const defaultAbandonAfterMs = 30_000;

const copy = (job: Job): RedriveJobView => ({ ...job.view });

/** The redrive jobs of this container; at most `maxJobs`, the oldest finished ones dropped first. */
export const createRedriveJobs = (options: {
  readonly now: () => number;
  readonly maxJobs?: number;
  readonly parkWaitMs?: number;
  readonly abandonAfterMs?: number;
}) => {
  const jobs = new Map<string, Job>();
  const maxJobs = options.maxJobs ?? 50;
  const parkWaitMs = options.parkWaitMs ?? defaultParkWaitMs;
  const abandonAfterMs = options.abandonAfterMs ?? defaultAbandonAfterMs;

  const wakeAll = (job: Job): void => {
    for (const wake of job.waiters.splice(0)) wake();
  };

  const touch = (job: Job, change: Partial<RedriveJobView>): void => {
    job.view = { ...job.view, ...change, updatedAt: options.now() };
    wakeAll(job);
  };

  /** Resolves at the job's next change (progress, end, reaching its gate), or after `ms`. */
  const nextChange = (job: Job, ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      job.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const isParked = (job: Job): boolean => job.resume !== undefined;

  /** The run's gate: open while a request attends the job; a cancel opens it too, and stops the run. */
  const gate = async (job: Job): Promise<void> => {
    // Re-checked after each wake: the request that woke the run may have answered since.
    while (job.attending === 0 && !job.controller.signal.aborted) {
      let abandoned: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        job.resume = resolve;
        abandoned = setTimeout(() => {
          job.controller.abort();
          release(job);
        }, abandonAfterMs);
        wakeAll(job);
      });
      clearTimeout(abandoned);
    }
    job.controller.signal.throwIfAborted();
  };

  /** Lets a run waiting at its gate go on (it waits again unless a request attends it). */
  const release = (job: Job): void => {
    const resume = job.resume;
    job.resume = undefined;
    resume?.();
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
      attending: 0,
      resume: undefined,
    };
    jobs.set(job.view.id, job);
    evict();
    void run({
      signal: job.controller.signal,
      onProgress: (progress) => touch(job, { progress }),
      beforeChunk: () => gate(job),
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

  /**
   * Attends the job for one request: it moves meanwhile (at least to its next progress or end when
   * `waitMs` > 0), and before the answer it is brought to its gate, or to its end (a dry run sends
   * nothing and has no gate to wait for). Returns the job as it is then.
   */
  const attend = async (id: string, waitMs = 0): Promise<RedriveJobView | undefined> => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    job.attending += 1;
    release(job);
    // Left at the very moment the job changes (in its waker, before the run goes on), so a run that
    // reported progress waits at its gate instead of starting a chunk this answer would then wait for.
    let attending = true;
    const leave = (): void => {
      if (attending) job.attending -= 1;
      attending = false;
    };
    if (waitMs > 0 && job.view.state === JobState.running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          leave();
          resolve();
        }, waitMs);
        job.waiters.push(() => {
          clearTimeout(timer);
          leave();
          resolve();
        });
      });
    }
    leave();
    const deadline = Date.now() + parkWaitMs;
    while (
      job.attending === 0 &&
      job.view.state === JobState.running &&
      job.view.request.dryRun !== true &&
      !isParked(job) &&
      Date.now() < deadline
    ) {
      await nextChange(job, deadline - Date.now());
    }
    return copy(job);
  };

  /** The job as it is, without letting it move (tests, and the 409 check). */
  const get = (id: string): RedriveJobView | undefined => {
    const job = jobs.get(id);
    return job === undefined ? undefined : copy(job);
  };

  /** Asks a running job to stop before its next chunk; what was sent stays in the ledger. */
  const cancel = (id: string): RedriveJobView | undefined => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    if (job.view.state === JobState.running) {
      job.controller.abort();
      release(job);
    }
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
    for (const job of jobs.values()) {
      job.controller.abort();
      release(job);
    }
  };

  return { start, attend, get, cancel, cancelAll, activeRedrive };
};

export type RedriveJobs = ReturnType<typeof createRedriveJobs>;
