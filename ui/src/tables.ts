import type { MessageView } from '../../shared/contract/views.js';
import { api } from './api-client.js';
import { byId, cell, el, type Role, roles, table, tag } from './dom.js';
import { clock, keyText, maxRowsPerTopic, mergeNewest, preview, rowId } from './view-model.js';

interface TopicUpdate {
  name: string;
  end: Record<string, number>;
  messages: MessageView[];
}

/** What the tables show: the rows per topic, the DLQ rows selected, and the poll's cursor. */
export const view = {
  cursor: '',
  rows: { orders: [], retry: [], dlq: [] } as Record<Role, MessageView[]>,
  selected: new Set<string>(),
};

export const setTopicNames = (topics: Record<Role, string>): void => {
  for (const role of roles) {
    const name = byId(`topic-${role}`).querySelector('.name');
    if (name) name.textContent = topics[role];
  }
};

const renderRow = (role: Role, message: MessageView): HTMLTableRowElement => {
  const row = el('tr');
  row.dataset.id = rowId(message);
  const failure = message.failure;
  if (role === 'dlq') {
    const box = el('input');
    box.type = 'checkbox';
    box.checked = view.selected.has(rowId(message));
    box.setAttribute('aria-label', `select ${rowId(message)}`);
    box.addEventListener('click', (event) => event.stopPropagation());
    box.addEventListener('change', () => {
      if (box.checked) view.selected.add(rowId(message));
      else view.selected.delete(rowId(message));
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
  const merged = mergeNewest(view.rows[role], update.messages, maxRowsPerTopic);
  view.rows[role] = merged.rows;
  // New rows arrive newest first; insert them in reverse so the newest ends on top.
  for (const message of [...merged.added].reverse()) {
    const row = renderRow(role, message);
    if (view.cursor !== '') row.className = 'fresh';
    body.prepend(row);
  }
  for (const id of merged.dropped) {
    body.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.remove();
    view.selected.delete(id);
  }
  const count = section.querySelector('.count');
  if (count) count.textContent = `${view.rows[role].length} shown`;
};

export const poll = async (): Promise<void> => {
  const query = view.cursor === '' ? '' : `?cursor=${encodeURIComponent(view.cursor)}`;
  const response = await api<{ topics: Record<Role, TopicUpdate>; cursor: string }>(`/api/messages${query}`);
  for (const role of roles) applyUpdate(role, response.topics[role]);
  view.cursor = response.cursor;
  byId('live').textContent = `live · updated ${clock(Date.now())}`;
};

interface Stats {
  topics: Record<
    Role,
    { name: string; partitions: Array<{ partition: number; start: number; end: number }> }
  >;
  groups: Array<{ groupId: string; topic: string; lag: number }>;
}

export const refreshStats = async (): Promise<void> => {
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
