import { randomBytes } from 'node:crypto';

/*
 * A bulk redrive from the UI runs as a job that the browser drives: each `step` request redrives for
 * a bounded slice of time and reports progress, and the next request carries on. A Lambda container
 * is frozen between requests, so work cannot continue after a response; the redrive ledger makes
 * every step resume exactly where the previous one stopped, in any container. Cancel stops the
 * stepping; running the same redrive again later completes the rest, with no duplicate and no gap.
 */

export const JobState = {
  running: 'running',
  done: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

/** What one step of a redrive reports, in the same terms as a whole redrive. */
export interface StepOutcome {
  /** Records the redrive's selection matches, in total. */
  readonly matched: number;
  /** Re-published by this step. */
  readonly sent: number;
  /** Left alone because the ledger already records them (earlier steps, or an earlier run). */
  readonly alreadyRedriven: number;
  /** Not redrivable (no failure headers, foreign origin), with the first reason. */
  readonly skipped: number;
  readonly skipReason?: string;
  /** Whether every matched record is now redriven or skipped. */
  readonly complete: boolean;
}

export interface JobProgress<Spec> {
  readonly id: string;
  readonly state: JobState;
  readonly operator: string;
  readonly spec: Spec;
  readonly matched: number;
  /** Records handled: sent by this job, found already redriven, or skipped. */
  readonly done: number;
  readonly sent: number;
  readonly alreadyRedriven: number;
  readonly skipped: number;
  readonly skipReason?: string;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Seconds left at the rate so far; undefined until something was sent. */
  readonly etaSeconds?: number;
  readonly error?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The jobs this container knows. A job whose id this container never saw (another container started
 * it) is adopted on its next step from the spec the client sends back, so any container can continue.
 * At most `maxJobs` are kept; the oldest finished ones go first.
 */
export const createJobRegistry = <Spec>(options: {
  readonly now: () => number;
  readonly maxJobs?: number;
}) => {
  const jobs = new Map<string, Mutable<JobProgress<Spec>>>();
  const maxJobs = options.maxJobs ?? 100;

  const evict = () => {
    for (const [id, job] of jobs) {
      if (jobs.size <= maxJobs) break;
      if (job.state !== JobState.running) jobs.delete(id);
    }
    while (jobs.size > maxJobs) {
      const oldest = jobs.keys().next().value;
      if (oldest === undefined) break;
      jobs.delete(oldest);
    }
  };

  const create = (spec: Spec, operator: string, id = `r-${randomBytes(9).toString('base64url')}`) => {
    const now = options.now();
    const job: Mutable<JobProgress<Spec>> = {
      id,
      state: JobState.running,
      operator,
      spec,
      matched: 0,
      done: 0,
      sent: 0,
      alreadyRedriven: 0,
      skipped: 0,
      startedAt: now,
      updatedAt: now,
    };
    jobs.set(id, job);
    evict();
    return { ...job } as JobProgress<Spec>;
  };

  /** Applies one step's outcome. `sent` adds up over steps; the rest is what the latest step saw. */
  const record = (id: string, outcome: StepOutcome): JobProgress<Spec> | undefined => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    const now = options.now();
    job.sent += outcome.sent;
    job.matched = outcome.matched;
    // The latest step saw everything earlier steps sent as already redriven.
    job.alreadyRedriven = outcome.alreadyRedriven + outcome.sent;
    job.skipped = outcome.skipped;
    if (outcome.skipReason !== undefined) job.skipReason = outcome.skipReason;
    job.done = Math.min(job.matched, job.alreadyRedriven + job.skipped);
    job.updatedAt = now;
    if (outcome.complete && job.state === JobState.running) job.state = JobState.done;
    const elapsed = (now - job.startedAt) / 1000;
    if (job.sent > 0 && elapsed > 0 && job.state === JobState.running) {
      job.etaSeconds = Math.ceil((job.matched - job.done) / (job.sent / elapsed));
    } else delete job.etaSeconds;
    return { ...job };
  };

  const finish = (id: string, state: typeof JobState.cancelled | typeof JobState.failed, error?: string) => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    if (job.state === JobState.running) {
      job.state = state;
      if (error !== undefined) job.error = error;
      delete job.etaSeconds;
      job.updatedAt = options.now();
    }
    return { ...job } as JobProgress<Spec>;
  };

  return {
    create,
    record,
    cancel: (id: string) => finish(id, JobState.cancelled),
    fail: (id: string, error: string) => finish(id, JobState.failed, error),
    get: (id: string): JobProgress<Spec> | undefined => {
      const job = jobs.get(id);
      return job === undefined ? undefined : { ...job };
    },
  };
};

export type JobRegistry<Spec> = ReturnType<typeof createJobRegistry<Spec>>;
