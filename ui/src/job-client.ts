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
      'the container running this forced redrive no longer answers, before it reported its run; start it again from the history once it shows there',
    );
  }
  const request = runId === undefined ? job.request : { ...job.request, resumeRun: runId };
  return api<RedriveJobView>('/api/dlq/redrives', { method: 'POST', body: request });
};

const isElsewhere = (error: unknown): boolean => error instanceof HttpError && error.status === 404;

/**
 * Follows a redrive job until it ends. Each poll waits up to a second for the run to move: on Lambda
 * the requests are what run it (shared/ui-api/redrive-jobs.ts). A cancel goes out as the loop's next
 * request, never beside a poll in flight: a Lambda container serves one request at a time, so a cancel
 * sent meanwhile would reach another container, which does not have the job. `onContinued` is told
 * when the job went on in another container.
 */
export const followJob = async (
  started: RedriveJobView,
  onUpdate: (job: RedriveJobView) => void,
  onFollow: (followed: FollowedJob) => void = () => undefined,
  onContinued: (job: RedriveJobView) => void = () => undefined,
): Promise<RedriveJobView> => {
  let job = started;
  let cancelRequested = false;
  onFollow({
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
      if (!isElsewhere(error)) throw error;
      // A cancel that finds no job has nothing to stop here: the run waits, unfinished, in a container
      // no request reaches, and sends nothing more; the ledger keeps it resumable.
      if (cancelling) return { ...job, state: 'cancelled', updatedAt: Date.now() };
      job = await continueElsewhere(job);
      onContinued(job);
    }
    onUpdate(job);
  }
  return job;
};
