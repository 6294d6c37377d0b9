import type { MessageView } from '../../shared/ui-api/render.js';
import {
  clock,
  keyText,
  maxRowsPerTopic,
  mergeNewest,
  parseHeaderLines,
  parseItems,
  preview,
  rowId,
} from './view-model.js';

// Every piece of message content goes into the page through textContent or a form value, never as
// markup: a record is operator-visible attacker input. The CSP forbids inline script on top of that.

type Role = 'orders' | 'retry' | 'dlq';
const roles: Role[] = ['orders', 'retry', 'dlq'];
const pollMs = 700;
const statsMs = 2_000;

interface TopicUpdate {
  name: string;
  end: Record<string, number>;
  messages: MessageView[];
}

const state = {
  csrfToken: '',
  cursor: '',
  rows: { orders: [], retry: [], dlq: [] } as Record<Role, MessageView[]>,
  selected: new Set<string>(),
  polling: false,
};

const byId = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing`);
  return found as T;
};

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
};

class Unauthorized extends Error {}

const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
  const headers: Record<string, string> = {};
  if (init.method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = state.csrfToken;
  }
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.status === 401) throw new Unauthorized(body.error ?? 'not signed in');
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
};

const show = (signedIn: boolean): void => {
  byId('login').hidden = signedIn;
  byId('app').hidden = !signedIn;
  byId('logout').hidden = !signedIn;
};

const setTopicNames = (topics: Record<Role, string>): void => {
  for (const role of roles) {
    const name = byId(`topic-${role}`).querySelector('.name');
    if (name) name.textContent = topics[role];
  }
};

const tag = (text: string, kind = ''): HTMLElement => el('span', text, `tag ${kind}`.trim());

const cell = (row: HTMLTableRowElement, text: string, className?: string): HTMLTableCellElement => {
  const td = el('td', text, className);
  td.title = text;
  row.append(td);
  return td;
};

const renderRow = (role: Role, message: MessageView): HTMLTableRowElement => {
  const row = el('tr');
  row.dataset.id = rowId(message);
  const failure = message.failure;
  if (role === 'dlq') {
    const box = el('input');
    box.type = 'checkbox';
    box.checked = state.selected.has(rowId(message));
    box.setAttribute('aria-label', `select ${rowId(message)}`);
    box.addEventListener('click', (event) => event.stopPropagation());
    box.addEventListener('change', () => {
      if (box.checked) state.selected.add(rowId(message));
      else state.selected.delete(rowId(message));
    });
    const td = el('td');
    td.append(box);
    row.append(td);
  }
  cell(row, clock(message.timestamp), 'mono');
  cell(row, rowId(message), 'mono');
  cell(row, keyText(message), 'mono');
  cell(row, preview(message), 'mono value');
  if (role === 'dlq') {
    const reason = el('td');
    if (failure?.reason) reason.append(tag(failure.reason, 'bad'));
    row.append(reason);
    cell(row, failure ? `${failure.errorClass}: ${failure.errorMessage}` : '(no failure headers)', 'error');
    cell(row, String(failure?.attempt ?? ''));
    cell(row, failure?.origin ?? '', 'mono');
    cell(row, failure?.redrive ? `×${failure.redrive.count} ${clock(failure.redrive.at)}` : '');
  } else if (role === 'retry') {
    cell(row, String(failure?.attempt ?? ''));
    cell(row, failure?.dueAt === undefined ? '' : clock(failure.dueAt), 'mono');
    cell(row, failure ? `${failure.errorClass}: ${failure.errorMessage}` : '', 'error');
    cell(row, failure?.origin ?? '', 'mono');
  } else {
    cell(row, message.headers.map((header) => header.name).join(', '), 'muted');
    cell(row, failure?.redrive ? `from ${failure.redrive.from}` : '', 'mono');
  }
  row.addEventListener('click', () => void openDetails(role, message));
  return row;
};

const applyUpdate = (role: Role, update: TopicUpdate): void => {
  const section = byId(`topic-${role}`);
  const body = section.querySelector('tbody');
  if (body === null || update.messages.length === 0) return;
  const merged = mergeNewest(state.rows[role], update.messages, maxRowsPerTopic);
  state.rows[role] = merged.rows;
  // New rows arrive newest first; insert them in reverse so the newest ends on top.
  for (const message of [...merged.added].reverse()) {
    const row = renderRow(role, message);
    if (state.cursor !== '') row.className = 'fresh';
    body.prepend(row);
  }
  for (const id of merged.dropped) {
    body.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.remove();
    state.selected.delete(id);
  }
  const count = section.querySelector('.count');
  if (count) count.textContent = `${state.rows[role].length} shown`;
};

const poll = async (): Promise<void> => {
  const query = state.cursor === '' ? '' : `?cursor=${encodeURIComponent(state.cursor)}`;
  const response = await api<{ topics: Record<Role, TopicUpdate>; cursor: string }>(`/api/messages${query}`);
  for (const role of roles) applyUpdate(role, response.topics[role]);
  state.cursor = response.cursor;
  byId('live').textContent = `live · updated ${clock(Date.now())}`;
};

interface Stats {
  topics: Record<
    Role,
    { name: string; partitions: Array<{ partition: number; start: number; end: number }> }
  >;
  groups: Array<{ groupId: string; topic: string; lag: number }>;
}

const refreshStats = async (): Promise<void> => {
  const stats = await api<Stats>('/api/stats');
  const topicBody = byId('topic-stats');
  topicBody.replaceChildren(
    ...roles.map((role) => {
      const topic = stats.topics[role];
      const row = el('tr');
      cell(row, topic.name, 'mono');
      cell(row, String(topic.partitions.length));
      cell(row, topic.partitions.map((p) => `${p.partition}:${p.end}`).join(' '), 'mono');
      cell(row, String(topic.partitions.reduce((sum, p) => sum + p.end - p.start, 0)));
      return row;
    }),
  );
  byId('group-stats').replaceChildren(
    ...stats.groups.map((group) => {
      const row = el('tr');
      cell(row, group.groupId, 'mono');
      cell(row, group.topic, 'mono');
      const lag = el('td');
      lag.append(tag(String(group.lag), group.lag > 0 ? 'warn' : ''));
      row.append(lag);
      return row;
    }),
  );
};

const table = (rows: Array<[string, string]>): HTMLTableElement => {
  const node = el('table');
  const body = el('tbody');
  for (const [name, value] of rows) {
    const row = el('tr');
    row.append(el('th', name), el('td', value, 'mono'));
    body.append(row);
  }
  node.append(body);
  return node;
};

const openDetails = async (role: Role, shown: MessageView): Promise<void> => {
  const dialog = byId<HTMLDialogElement>('details');
  const content = byId('details-body');
  byId('details-title').textContent = `${shown.topic} ${rowId(shown)}`;
  let message = shown;
  try {
    message = await api<MessageView>(`/api/messages/${role}/${shown.partition}/${shown.offset}`);
  } catch {
    // Evicted from the server's buffer since it was listed: show what the list had.
  }
  const iso = (epochMs: number | undefined) => (epochMs === undefined ? '' : new Date(epochMs).toISOString());
  const parts: HTMLElement[] = [
    table([
      ['topic', message.topic],
      ['partition:offset', rowId(message)],
      ['timestamp', iso(message.timestamp)],
      ['key', keyText(message)],
      [
        'value',
        `${message.value.encoding}, ${message.value.bytes} bytes${message.value.truncated ? ', truncated' : ''}`,
      ],
    ]),
    el('pre', message.value.encoding === 'null' ? '(null)' : message.value.text),
  ];
  if (message.headers.length > 0) {
    parts.push(el('h3', 'headers'), table(message.headers.map((header) => [header.name, header.value.text])));
  }
  const failure = message.failure;
  if (failure) {
    parts.push(
      el('h3', 'failure'),
      table([
        ['event id', failure.eventId],
        ['attempt', String(failure.attempt)],
        ['due', iso(failure.dueAt)],
        ['error', `${failure.errorKind} ${failure.errorClass}: ${failure.errorMessage}`],
        ['reason', failure.reason ?? ''],
        ['origin', `${failure.origin} at ${iso(failure.originTimestamp)}`],
        ['first failure', iso(failure.firstFailureAt)],
        ['last failure', iso(failure.lastFailureAt)],
        [
          'redrive',
          failure.redrive
            ? `${failure.redrive.count}× , last ${iso(failure.redrive.at)} from ${failure.redrive.from}`
            : '',
        ],
      ]),
    );
    if (failure.errorStack) parts.push(el('pre', failure.errorStack));
  }
  content.replaceChildren(...parts);
  if (!dialog.open) dialog.showModal();
};

const produce = async (form: HTMLFormElement): Promise<void> => {
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

const newOrderId = (form: HTMLFormElement): void => {
  const input = form.elements.namedItem('orderId');
  if (input instanceof HTMLInputElement) input.value = `o-${Date.now().toString(36)}`;
};

const redrive = async (form: HTMLFormElement, mode: 'selected' | 'all'): Promise<void> => {
  const data = new FormData(form);
  const result = byId('redrive-result');
  const filter = {
    ...(data.get('reason') ? { reason: String(data.get('reason')) } : {}),
    ...(String(data.get('text') ?? '').trim() ? { text: String(data.get('text')).trim() } : {}),
  };
  const records = [...state.selected].map((id) => {
    const [partition = '0', offset = '0'] = id.split(':');
    return { partition: Number(partition), offset: Number(offset) };
  });
  if (mode === 'selected' && records.length === 0) {
    result.className = 'error';
    result.textContent = 'select DLQ records first';
    return;
  }
  try {
    const response = await api<{
      dryRun: boolean;
      published: number;
      planned: unknown[];
      skipped: Array<{ from: string; reason: string }>;
    }>('/api/redrive', {
      method: 'POST',
      body: {
        target: String(data.get('target')),
        dryRun: data.get('dryRun') !== null,
        ...(mode === 'all' ? { all: true, filter } : { records }),
      },
    });
    result.className = 'muted';
    const skipped =
      response.skipped.length > 0
        ? `; skipped ${response.skipped.length}: ${response.skipped[0]?.reason}`
        : '';
    result.textContent = response.dryRun
      ? `dry run: would redrive ${response.planned.length}${skipped}`
      : `redrove ${response.published}${skipped}`;
    if (!response.dryRun) {
      state.selected.clear();
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

const loop = (task: () => Promise<void>, everyMs: number): void => {
  const run = async () => {
    if (!state.polling) return;
    try {
      if (!document.hidden) await task();
    } catch (error) {
      if (error instanceof Unauthorized) {
        state.polling = false;
        show(false);
        return;
      }
      byId('live').textContent = `update failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    setTimeout(() => void run(), everyMs);
  };
  void run();
};

const start = (session: { csrfToken: string; topics: Record<Role, string> }): void => {
  state.csrfToken = session.csrfToken;
  setTopicNames(session.topics);
  show(true);
  if (state.polling) return;
  state.polling = true;
  loop(poll, pollMs);
  loop(refreshStats, statsMs);
};

const init = async (): Promise<void> => {
  const produceForm = byId<HTMLFormElement>('produce-form');
  newOrderId(produceForm);
  produceForm.addEventListener('change', () => {
    const raw = new FormData(produceForm).get('mode') === 'raw';
    byId('form-fields').hidden = raw;
    byId('raw-fields').hidden = !raw;
    byId('form-fields')
      .querySelectorAll('input')
      .forEach((input) => {
        input.disabled = raw;
      });
  });
  produceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void produce(produceForm);
  });
  const redriveForm = byId<HTMLFormElement>('redrive-form');
  redriveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void redrive(redriveForm, submitter?.value === 'all' ? 'all' : 'selected');
  });
  byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>('token');
    api<{ csrfToken: string; topics: Record<Role, string> }>('/api/login', {
      method: 'POST',
      body: { token: token.value },
    })
      .then((session) => {
        token.value = '';
        byId('login-error').textContent = '';
        start(session);
      })
      .catch((error: unknown) => {
        byId('login-error').textContent = error instanceof Error ? error.message : String(error);
      });
  });
  byId('logout').addEventListener('click', () => {
    void api('/api/logout', { method: 'POST', body: {} }).finally(() => {
      state.polling = false;
      show(false);
    });
  });
  try {
    start(await api('/api/session'));
  } catch {
    show(false);
  }
};

void init();
