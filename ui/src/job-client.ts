import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { api, HttpError } from './api-client.js';

/** A job being followed; `cancel` asks for it to stop with the next request the loop sends. */
export interface FollowedJob {
  cancel(): void;
}

/**
 * Where a request about the job reached a container that does not have it (on Lambda, another
 * environment, or the first one was recycled), it goes on there: the same request again, naming the
 * run to continue, so the ledger's exactly-once holds and a forced run keeps its generation. Without
 * a run id yet (no progress reported) a plain request is simply started again; a forced one is not,
 * as it could open a second generation.
 */
const continueElsewhere = async (job: RedriveJobView): Promise<RedriveJobView> => {
  const runId = job.progress?.runId;
  if (runId === undefined && job.request.force === true) {
    throw new Error(
      'the container running this forced redrive no longer answers, and it reported no run yet: see the history, and run the same forced redrive again to continue an unfinished one',
    );
  }
  const request = runId === undefined ? job.request : { ...job.request, resumeRun: runId };
  return api<RedriveJobView>('/api/dlq/redrives', { method: 'POST', body: request });
};

const isElsewhere = (error: unknown): boolean => error instanceof HttpError && error.status === 404;

export interface FollowOptions {
  /** Told once the follow starts, with the handle to cancel it. */
  readonly onFollow?: (followed: FollowedJob) => void;
  /**
   * Lets a job that another container answers 404 for go on there (`continueElsewhere`), and is told
   * when it did. Only for a job that is its own request again: an edit-and-redrive is not (sent again as
   * a plain redrive, it would send the record without the edit), so it leaves this out and fails instead.
   */
  readonly onContinued?: (job: RedriveJobView) => void;
}

/**
 * Follows a redrive job until it ends. Each poll waits up to a second for the run to move: on Lambda
 * the requests are what run it (shared/ui-api/redrive-jobs.ts). A cancel goes out as the loop's next
 * request, never beside a poll in flight: a Lambda container serves one request at a time, so a cancel
 * sent meanwhile would reach another container, which does not have the job.
 */
export const followJob = async (
  started: RedriveJobView,
  onUpdate: (job: RedriveJobView) => void,
  options: FollowOptions = {},
): Promise<RedriveJobView> => {
  let job = started;
  let cancelRequested = false;
  options.onFollow?.({
    cancel: () => {
      cancelRequested = true;
    },
  });
  onUpdate(job);
  while (job.state === 'running') {
    const path = `/api/dlq/redrives/${encodeURIComponent(job.id)}`;
    const cancelling = cancelRequested;
    cancelRequested = false;
    try {
      job = cancelling
        ? await api<RedriveJobView>(`${path}/cancel`, { method: 'POST', body: {} })
        : await api<RedriveJobView>(`${path}?waitMs=1000`);
    } catch (error) {
      if (!isElsewhere(error) || options.onContinued === undefined) throw error;
      // A cancel that finds no job has nothing to stop here: the run waits, unfinished, in a container
      // no request reaches, and sends nothing more; the ledger keeps it resumable.
      if (cancelling) return { ...job, state: 'cancelled', updatedAt: Date.now() };
      job = await continueElsewhere(job);
      options.onContinued(job);
    }
    onUpdate(job);
  }
  return job;
};
