import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { api } from './api-client.js';

/** A job being followed; `cancel` asks for it to stop with the next request the loop sends. */
export interface FollowedJob {
  cancel(): void;
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
  onFollow: (followed: FollowedJob) => void = () => undefined,
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
    if (cancelRequested) {
      cancelRequested = false;
      job = await api<RedriveJobView>(`${path}/cancel`, { method: 'POST', body: {} });
    } else {
      job = await api<RedriveJobView>(`${path}?waitMs=1000`);
    }
    onUpdate(job);
  }
  return job;
};
