import type { RedriveRequest } from '../../shared/contract/operator.js';
import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { api } from './api-client.js';
import { jobStatus } from './console-view.js';
import { byId } from './dom.js';
import { groupsView, refreshGroups, reloadGroupRecords } from './groups.js';
import { refreshHistory } from './history.js';
import { type FollowedJob, followJob } from './job-client.js';

let current: FollowedJob | undefined;
/** Set once the job went on in another container (job-client.ts): the status says so. */
let continued = false;

const show = (job: RedriveJobView): void => {
  const status = jobStatus(job);
  if (continued) status.text += ' (continued in another container)';
  byId('redrive-job').hidden = false;
  byId<HTMLProgressElement>('redrive-progress').value = status.fraction;
  byId('redrive-status').textContent = status.text;
  byId('redrive-status').dataset.state = job.state;
  byId<HTMLButtonElement>('redrive-cancel').disabled = job.state !== 'running';
};

/** Starts a redrive of the selected group and follows it until it ends. */
export const redriveGroup = async (form: HTMLFormElement): Promise<void> => {
  const group = groupsView.selected;
  if (group === undefined) return;
  const data = new FormData(form);
  const force = data.get('force') !== null;
  if (
    force &&
    !window.confirm(`FORCE: redrive ${group.count} records again, including those already redriven?`)
  )
    return;
  const request: RedriveRequest = {
    selection: {
      kind: 'group',
      fingerprint: group.fingerprint,
      ...(Object.keys(groupsView.filter).length > 0 ? { filter: groupsView.filter } : {}),
    },
    target: String(data.get('target')) === 'retry' ? 'retry' : 'origin',
    dryRun: data.get('dryRun') !== null,
    force,
    ...(Number(data.get('rate')) > 0 ? { ratePerSecond: Number(data.get('rate')) } : {}),
  };
  byId<HTMLButtonElement>('group-redrive').disabled = true;
  try {
    const job = await api<RedriveJobView>('/api/dlq/redrives', { method: 'POST', body: request });
    continued = false;
    await followJob(job, show, {
      onFollow: (followed) => {
        current = followed;
      },
      onContinued: () => {
        continued = true;
      },
    });
  } catch (error) {
    byId('redrive-job').hidden = false;
    byId('redrive-status').textContent = error instanceof Error ? error.message : String(error);
    byId('redrive-status').dataset.state = 'failed';
  } finally {
    byId<HTMLButtonElement>('group-redrive').disabled = false;
    current = undefined;
  }
  await Promise.allSettled([refreshGroups(), reloadGroupRecords(), refreshHistory()]);
};

/** Asks the redrive being followed to stop: its next request is the cancel (see job-client.ts). */
export const cancelRedrive = async (): Promise<void> => {
  current?.cancel();
};
