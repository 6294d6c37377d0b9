import type { RedriveRequest } from '../../shared/contract/operator.js';
import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { api } from './api-client.js';
import { byId } from './dom.js';
import { followJob } from './job-client.js';
import { view } from './tables.js';
import { describeRedrive, parseHeaderLines, parseItems } from './view-model.js';

export const produce = async (form: HTMLFormElement): Promise<void> => {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const result = byId('produce-result');
  let body: unknown;
  if (text('mode') === 'raw') {
    body = {
      mode: 'raw',
      topic: text('rawTopic'),
      key: text('rawKey') === '' ? null : text('rawKey'),
      value: String(data.get('rawValue') ?? ''),
      headers: parseHeaderLines(String(data.get('rawHeaders') ?? '')),
    };
  } else {
    const transientFailures = Number(text('transientFailures') || '0');
    const simulate = {
      ...(transientFailures > 0 ? { transientFailures } : {}),
      ...(data.get('permanentFailure') ? { permanentFailure: true } : {}),
      ...(data.get('failUntilRedriven') ? { failUntilRedriven: true } : {}),
    };
    const items = parseItems(text('items'));
    body = {
      mode: 'form',
      order: {
        orderId: text('orderId'),
        amount: Number(text('amount')),
        currency: text('currency') || 'EUR',
        ...(text('customerId') === '' ? {} : { customerId: text('customerId') }),
        ...(items ? { items } : {}),
        ...(Object.keys(simulate).length > 0 ? { simulate } : {}),
      },
    };
  }
  try {
    const response = await api<{ produced: { topic: string; key: string | null } }>('/api/produce', {
      method: 'POST',
      body,
    });
    result.className = 'muted';
    result.textContent = `sent ${response.produced.key ?? '(no key)'} to ${response.produced.topic}`;
    newOrderId(form);
  } catch (error) {
    result.className = 'error';
    result.textContent = error instanceof Error ? error.message : String(error);
  }
};

export const newOrderId = (form: HTMLFormElement): void => {
  const input = form.elements.namedItem('orderId');
  if (input instanceof HTMLInputElement) input.value = `o-${Date.now().toString(36)}`;
};

export const redrive = async (form: HTMLFormElement, mode: 'selected' | 'all'): Promise<void> => {
  const data = new FormData(form);
  const result = byId('redrive-result');
  const filter = {
    ...(data.get('reason') ? { reason: String(data.get('reason')) } : {}),
    ...(String(data.get('text') ?? '').trim() ? { text: String(data.get('text')).trim() } : {}),
  };
  const records = [...view.selected].map((id) => {
    const [partition = '0', offset = '0'] = id.split(':');
    return { partition: Number(partition), offset: Number(offset) };
  });
  if (mode === 'selected' && records.length === 0) {
    result.className = 'error';
    result.textContent = 'select DLQ records first';
    return;
  }
  try {
    // A job like every UI redrive, so a large "all matching" never outlasts one request.
    const request: RedriveRequest = {
      selection: mode === 'all' ? { kind: 'filter', filter } : { kind: 'records', records },
      target: String(data.get('target')) === 'retry' ? 'retry' : 'origin',
      dryRun: data.get('dryRun') !== null,
      force: data.get('force') !== null,
    };
    result.className = 'muted';
    result.textContent = 'redriving…';
    // The request is the job's own, so a job another container answers for goes on there.
    const job = await followJob(
      await api<RedriveJobView>('/api/dlq/redrives', { method: 'POST', body: request }),
      () => undefined,
      { onContinued: () => undefined },
    );
    if (job.result === undefined) throw new Error(job.error ?? `redrive ${job.state}`);
    const response = job.result;
    result.textContent = describeRedrive(response);
    if (!response.dryRun) {
      view.selected.clear();
      form
        .closest('section')
        ?.querySelectorAll<HTMLInputElement>('tbody input[type=checkbox]')
        .forEach((box) => {
          box.checked = false;
        });
    }
  } catch (error) {
    result.className = 'error';
    result.textContent = error instanceof Error ? error.message : String(error);
  }
};
