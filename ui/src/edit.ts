import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import type { MessageView } from '../../shared/contract/views.js';
import { api } from './api-client.js';
import { editableValue, parseEditedValue } from './console-view.js';
import { byId } from './dom.js';
import { followJob } from './job-client.js';
import { rowId } from './view-model.js';

let editing: MessageView | undefined;

/** Opens the edit dialog on a DLQ record, with its value in full from the server. */
export const openEdit = async (listed: MessageView): Promise<void> => {
  const message = await api<MessageView>(`/api/dlq/records/${listed.partition}/${listed.offset}`).catch(
    () => listed,
  );
  editing = message;
  byId('edit-title').textContent = `Edit and redrive ${message.topic} ${rowId(message)}`;
  const form = byId<HTMLFormElement>('edit-form');
  const value = form.elements.namedItem('value') as HTMLTextAreaElement;
  value.value = editableValue(message);
  byId('edit-result').textContent = '';
  const dialog = byId<HTMLDialogElement>('edit');
  if (!dialog.open) dialog.showModal();
};

/** Sends the edited value; the server validates it with the order schema before anything is sent. */
export const submitEdit = async (form: HTMLFormElement): Promise<void> => {
  const result = byId('edit-result');
  if (editing === undefined) return;
  const data = new FormData(form);
  const parsed = parseEditedValue(String(data.get('value') ?? ''));
  if ('error' in parsed) {
    result.className = 'error';
    result.textContent = parsed.error;
    return;
  }
  try {
    const started = await api<RedriveJobView>(
      `/api/dlq/records/${editing.partition}/${editing.offset}/edit-redrive`,
      { method: 'POST', body: { value: parsed.value, target: String(data.get('target') ?? 'origin') } },
    );
    result.className = 'muted';
    result.textContent = 'redriving…';
    const job = await followJob(started, () => undefined);
    if (job.result === undefined) throw new Error(job.error ?? `redrive ${job.state}`);
    const response = job.result;
    result.textContent =
      response.sent > 0
        ? `redriven with the edit (run ${response.runId.slice(0, 8)}, generation ${response.generation})`
        : response.alreadyRedriven > 0
          ? 'already redriven: nothing sent (force to send again)'
          : `nothing sent: ${response.skipped[0]?.reason ?? 'not redrivable'}`;
  } catch (error) {
    result.className = 'error';
    result.textContent = error instanceof Error ? error.message : String(error);
  }
};
