import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { api } from './api-client.js';

/**
 * Follows a redrive job until it ends. Each poll waits up to a second for the run to move: on
 * Lambda the polls are what keep it running.
 */
export const followJob = async (
  started: RedriveJobView,
  onUpdate: (job: RedriveJobView) => void,
): Promise<RedriveJobView> => {
  let job = started;
  onUpdate(job);
  while (job.state === 'running') {
    job = await api<RedriveJobView>(`/api/dlq/redrives/${encodeURIComponent(job.id)}?waitMs=1000`);
    onUpdate(job);
  }
  return job;
};
