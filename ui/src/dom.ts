// Every piece of message content goes into the page through textContent or a form value, never as
// markup: a record is operator-visible attacker input. The CSP forbids inline script on top of that.

import { type TopicRole, topicRoles } from '../../shared/contract/topics.js';

export type Role = TopicRole;
export const roles: readonly Role[] = topicRoles;

export const byId = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing`);
  return found as T;
};

export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
};

export const tag = (text: string, kind = ''): HTMLElement => el('span', text, `tag ${kind}`.trim());

export const cell = (row: HTMLTableRowElement, text: string, className?: string): HTMLTableCellElement => {
  const td = el('td', text, className);
  td.title = text;
  row.append(td);
  return td;
};

export const table = (rows: Array<[string, string]>): HTMLTableElement => {
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
