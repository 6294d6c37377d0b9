import type {
  FailureGroup,
  GroupsResponse,
  ListResponse,
  SearchFilter,
} from '../../shared/contract/operator.js';
import type { MessageView } from '../../shared/contract/views.js';
import { api } from './api-client.js';
import { sparkline } from './charts.js';
import { groupCounts, when } from './console-view.js';
import { byId, cell, el, tag } from './dom.js';
import { openEdit } from './edit.js';
import { keyText, preview, rowId } from './view-model.js';

/** The groups table, and the records of the group the operator picked. */
export const groupsView = {
  selected: undefined as FailureGroup | undefined,
  cursor: undefined as string | undefined,
  /** The search filter over the whole DLQ; groups, their records and their redrive all apply it. */
  filter: {} as SearchFilter,
};

/** The filter as query parameters, `&`-prefixed; the server validates the values. */
const filterQuery = (): string =>
  Object.entries(groupsView.filter)
    .map(([name, value]) => `&${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('');

/** Takes the search form's fields as the filter (empty fields left out) and refreshes the groups. */
export const applySearch = async (form: HTMLFormElement): Promise<void> => {
  const data = new FormData(form);
  const filter: Record<string, string> = {};
  for (const name of ['text', 'reason', 'errorClass', 'key']) {
    const value = String(data.get(name) ?? '').trim();
    if (value !== '') filter[name] = value;
  }
  groupsView.filter = filter;
  groupsView.selected = undefined;
  byId('group').hidden = true;
  await refreshGroups();
};

const groupRow = (group: FailureGroup): HTMLTableRowElement => {
  const row = el('tr');
  row.dataset.fingerprint = group.fingerprint;
  if (groupsView.selected?.fingerprint === group.fingerprint) row.className = 'selected';
  cell(row, groupCounts(group), 'count');
  const trend = el('td');
  trend.append(sparkline(group.trend.counts));
  row.append(trend);
  const reason = el('td');
  reason.append(tag(group.reason, 'bad'));
  row.append(reason);
  cell(row, group.errorClass, 'mono');
  cell(row, group.template, 'error');
  cell(row, when(group.firstSeen), 'mono');
  cell(row, when(group.lastSeen), 'mono');
  row.addEventListener('click', () => void openGroup(group));
  return row;
};

export const refreshGroups = async (): Promise<void> => {
  const response = await api<GroupsResponse>(`/api/dlq/groups?buckets=24${filterQuery()}`);
  byId('groups-body').replaceChildren(...response.groups.map(groupRow));
  const matching = Object.keys(groupsView.filter).length > 0 ? ' matching the search' : '';
  byId('groups-total').textContent =
    `${response.total} records in ${response.groups.length} groups${matching}`;
  const selected = groupsView.selected;
  if (selected) {
    const fresh = response.groups.find((group) => group.fingerprint === selected.fingerprint);
    if (fresh) {
      groupsView.selected = fresh;
      byId('group-count').textContent = `${groupCounts(fresh)} records`;
    }
  }
};

const recordRow = (message: MessageView): HTMLTableRowElement => {
  const row = el('tr');
  row.dataset.id = rowId(message);
  cell(row, when(message.timestamp), 'mono');
  cell(row, rowId(message), 'mono');
  cell(row, keyText(message), 'mono');
  cell(row, preview(message), 'mono value');
  cell(row, message.failure ? `${message.failure.errorClass}: ${message.failure.errorMessage}` : '', 'error');
  cell(row, message.ledger ? `gen ${message.ledger.generation} by ${message.ledger.operator}` : '', 'muted');
  const actions = el('td');
  const edit = el('button', 'Edit');
  edit.type = 'button';
  edit.className = 'edit';
  edit.addEventListener('click', (event) => {
    event.stopPropagation();
    void openEdit(message);
  });
  actions.append(edit);
  row.append(actions);
  return row;
};

const recordsPage = async (fingerprint: string, cursor?: string): Promise<ListResponse> =>
  api<ListResponse>(
    `/api/dlq/groups/${encodeURIComponent(fingerprint)}/records?limit=50${filterQuery()}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );

/** Shows a group: its true count from the server and the first page of its records. */
export const openGroup = async (group: FailureGroup): Promise<void> => {
  groupsView.selected = group;
  byId('groups-body')
    .querySelectorAll('tr')
    .forEach((row) => {
      row.className = row.dataset.fingerprint === group.fingerprint ? 'selected' : '';
    });
  byId('group').hidden = false;
  byId('group-title').textContent = `${group.reason} · ${group.errorClass} · ${group.template}`;
  await reloadGroupRecords();
};

export const reloadGroupRecords = async (): Promise<void> => {
  const group = groupsView.selected;
  if (group === undefined) return;
  const page = await recordsPage(group.fingerprint);
  groupsView.cursor = page.nextCursor;
  byId('group-records').replaceChildren(...page.records.map(recordRow));
  byId('group-count').textContent = `${groupCounts({ count: page.total, redriven: group.redriven })} records`;
  byId('group-count').dataset.total = String(page.total);
  byId('group-more').hidden = page.nextCursor === undefined;
};

export const moreGroupRecords = async (): Promise<void> => {
  const group = groupsView.selected;
  if (group === undefined || groupsView.cursor === undefined) return;
  const page = await recordsPage(group.fingerprint, groupsView.cursor);
  groupsView.cursor = page.nextCursor;
  byId('group-records').append(...page.records.map(recordRow));
  byId('group-more').hidden = page.nextCursor === undefined;
};
