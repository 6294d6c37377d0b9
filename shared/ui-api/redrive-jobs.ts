import { randomBytes } from 'node:crypto';
import type { RedriveProgress, RedriveRequest, RedriveResult } from '../contract/operator.js';
import { JobState, type RedriveJobView } from '../contract/redrive-job.js';
import type { ChunkGuard } from '../operator/chunk-pipeline.js';

/*
 * A bulk redrive from the UI runs as a job in the container that started it, and the browser polls
 * its progress. A Lambda container runs only while it serves a request and is frozen, wherever its
 * code is, once the response is out. So:
 * - a job starts, and goes past each gate between two chunks, only while a request attends it (the
 *   POST that starts it, or a progress poll);
 * - a request answers only when no chunk of its job is between announce and its ledger records.
 * A frozen container therefore never holds a chunk announced in the ledger but not sent, which a run
 * elsewhere would settle as unsent and send again while this one, thawed, sent it too, nor one sent but
 * unrecorded, which a run elsewhere would have to wait out before settling it; and a job
 * never claims the ledger's writer or settles intents unattended. If the container is gone, the
 * ledger still shows the run unfinished, and running the same redrive again completes the rest with
 * no duplicate and no gap. This relies on what Lambda guarantees: an environment serves one request at a
 * time. Locally several requests may attend a job at once, but nothing is frozen there.
 */

export type RunRedrive = (context: {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: RedriveProgress) => void;
  /** The run hands each chunk's announce-and-send to this; it waits for a request to attend first. */
  readonly guardChunk: ChunkGuard;
}) => Promise<RedriveResult>;

interface Job {
  view: RedriveJobView;
  readonly controller: AbortController;
  waiters: Array<() => void>;
  /** Requests attending the job now; the run waits at a gate while there are none. */
  attending: number;
  /** Set while the run waits at a gate: lets it go on. */
  resume: (() => void) | undefined;
  /** When the run last came to wait at a gate with nobody attending (clock ms), while it waits. */
  waitingSince: number | undefined;
  /** Chunks between their announce and their ledger records: no answer may go out while there are any. */
  chunksInFlight: number;
  /** Settles when the run has ended, however it ended. */
  ended: Promise<void>;
}

/**
 * How long a job waits at a gate for a request before it cancels itself: the browser that polled it is
 * gone (a closed tab), and a job nobody watches would hold the container's one redrive for good. The
 * ledger keeps the run unfinished; starting the same redrive again completes it.
 */
const defaultAbandonAfterMs = 30_000;

const copy = (job: Job): RedriveJobView => ({ ...job.view });

/** The redrive jobs of this container; at most `maxJobs`, the oldest finished ones dropped first. */
export const createRedriveJobs = (options: {
  readonly now: () => number;
  readonly maxJobs?: number;
  readonly abandonAfterMs?: number;
}) => {
  const jobs = new Map<string, Job>();
  const maxJobs = options.maxJobs ?? 50;
  const abandonAfterMs = options.abandonAfterMs ?? defaultAbandonAfterMs;

  const wakeAll = (job: Job): void => {
    for (const wake of job.waiters.splice(0)) wake();
  };

  const touch = (job: Job, change: Partial<RedriveJobView>): void => {
    job.view = { ...job.view, ...change, updatedAt: options.now() };
    wakeAll(job);
  };

  /** Resolves at the job's next change (progress, end, a gate reached, a send acknowledged). */
  const nextChange = (job: Job, ms?: number, onWake: () => void = () => undefined): Promise<void> =>
    new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        onWake();
        resolve();
      };
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => {
              // Taken out again, so polls that time out during a long send do not pile up waiters.
              job.waiters = job.waiters.filter((waiter) => waiter !== wake);
              wake();
            }, ms);
      job.waiters.push(wake);
    });

  /** Lets a run waiting at a gate go on (it waits again unless a request attends it). */
  const release = (job: Job): void => {
    const resume = job.resume;
    job.resume = undefined;
    job.waitingSince = undefined;
    resume?.();
  };

  const abandon = (job: Job): void => {
    job.controller.abort();
    release(job);
  };

  /**
   * Abandons a job left waiting longer than allowed. Checked against the clock at every use, not only
   * by its timer: a container thawed after a long freeze may serve a request before the timer fires.
   */
  const abandonIfStale = (job: Job): void => {
    if (job.waitingSince !== undefined && options.now() - job.waitingSince >= abandonAfterMs) abandon(job);
  };

  /** A gate: open while a request attends the job; a cancel or an abandon opens it, and stops the run. */
  const gate = async (job: Job): Promise<void> => {
    // Re-checked after each wake: the request that woke the run may have answered since.
    while (job.attending === 0 && !job.controller.signal.aborted) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        job.resume = resolve;
        job.waitingSince = options.now();
        timer = setTimeout(() => abandon(job), abandonAfterMs);
        // Not what keeps a local process alive: a shutdown cancels the jobs anyway.
        timer.unref?.();
        wakeAll(job);
      });
      clearTimeout(timer);
    }
    job.controller.signal.throwIfAborted();
  };

  /**
   * A chunk's announce and send, entered through a gate, and in flight until the chunk is recorded (or
   * known never to be): a container frozen after an answer then holds no intent at all, so a run that
   * continues elsewhere has nothing to wait out (redrive-run.ts, recovery). Without `recorded`, until the
   * send settles.
   */
  const guardChunk =
    (job: Job): ChunkGuard =>
    async (announceAndSend, recorded) => {
      await gate(job);
      job.chunksInFlight += 1;
      const landed = (): void => {
        job.chunksInFlight -= 1;
        wakeAll(job);
      };
      try {
        return await announceAndSend();
      } finally {
        // A chunk whose announce or send failed is never recorded; the pipeline settles `recorded` anyway.
        if (recorded === undefined) landed();
        else void recorded.then(landed);
      }
    };

  const evict = (): void => {
    for (const [id, job] of jobs) {
      if (jobs.size <= maxJobs) return;
      if (job.view.state !== JobState.running) jobs.delete(id);
    }
  };

  /**
   * Creates a job; its run begins at the first request that attends it (the route that starts it
   * attends it at once). Never rejects: a failed run is a job in state `failed` with its message.
   */
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
      waitingSince: undefined,
      chunksInFlight: 0,
      ended: Promise.resolve(),
    };
    jobs.set(job.view.id, job);
    evict();
    job.ended = (async () => {
      // Nothing unattended: not the writer's claim, not the settling of intents, not the scan.
      await gate(job);
      return run({
        signal: job.controller.signal,
        onProgress: (progress) => touch(job, { progress }),
        guardChunk: guardChunk(job),
      });
    })().then(
      (result) => touch(job, { result, state: result.cancelled ? JobState.cancelled : JobState.done }),
      (error: unknown) =>
        touch(
          job,
          job.controller.signal.aborted
            ? { state: JobState.cancelled }
            : { state: JobState.failed, error: error instanceof Error ? error.message : String(error) },
        ),
    );
    return copy(job);
  };

  /**
   * Attends the job for one request: it moves meanwhile (until its next change, or `waitMs`), and the
   * answer waits until no chunk of it is between announce and its ledger records. That wait has no
   * bound of its own: on Lambda a send that outlasts the function's timeout ends the invocation, and
   * the environment with it, which the ledger's recovery settles like any crash. Returns the job then.
   */
  const attend = async (id: string, waitMs = 0): Promise<RedriveJobView | undefined> => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    abandonIfStale(job);
    job.attending += 1;
    release(job);
    // Left at the very moment the job changes (in its waker, before the run goes on), so a run that
    // reported progress waits at its next gate instead of starting a chunk this answer would wait for.
    let attending = true;
    const leave = (): void => {
      if (attending) job.attending -= 1;
      attending = false;
    };
    if (waitMs > 0 && job.view.state === JobState.running) await nextChange(job, waitMs, leave);
    leave();
    while (job.chunksInFlight > 0) await nextChange(job);
    return copy(job);
  };

  /** The job as it is, without letting it move. */
  const get = (id: string): RedriveJobView | undefined => {
    const job = jobs.get(id);
    return job === undefined ? undefined : copy(job);
  };

  /** Asks a running job to stop before its next chunk; what was sent stays in the ledger. */
  const cancel = (id: string): RedriveJobView | undefined => {
    const job = jobs.get(id);
    if (job === undefined) return undefined;
    if (job.view.state === JobState.running) abandon(job);
    return copy(job);
  };

  /**
   * A running job that is not a dry run: the service runs one such redrive at a time. A job told to stop
   * (cancelled, abandoned) counts until its run has ended, which `settleStopping` waits for: it may
   * still be sending a chunk, or recording one, and holds the service's one redrive meanwhile.
   */
  const activeRedrive = (): RedriveJobView | undefined => {
    for (const job of jobs.values()) {
      if (job.view.state === JobState.running && job.view.request.dryRun !== true) return copy(job);
    }
    return undefined;
  };

  /**
   * Abandons the jobs left waiting too long, then waits (up to `ms`) for every job told to stop to end,
   * so a redrive started right after a cancel, or after a thaw, is not refused for a job on its way out.
   */
  const settleStopping = async (ms: number): Promise<void> => {
    for (const job of jobs.values()) abandonIfStale(job);
    const stopping = [...jobs.values()]
      .filter((job) => job.view.state === JobState.running && job.controller.signal.aborted)
      .map((job) => job.ended);
    if (stopping.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(stopping),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    clearTimeout(timer);
  };

  /**
   * Stops this container's jobs of run `runId`: the browser continues that run with a new job (it was
   * answered 404 elsewhere and came back here), so the old one is attended by nobody and must not hold
   * the container's one redrive.
   */
  const abandonRun = (runId: string): void => {
    for (const job of jobs.values()) {
      if (job.view.state === JobState.running && job.view.progress?.runId === runId) abandon(job);
    }
  };

  /** Stops every running job (shutdown, tests). */
  const cancelAll = (): void => {
    for (const job of jobs.values()) abandon(job);
  };

  return { start, attend, get, cancel, cancelAll, abandonRun, activeRedrive, settleStopping };
};

export type RedriveJobs = ReturnType<typeof createRedriveJobs>;
