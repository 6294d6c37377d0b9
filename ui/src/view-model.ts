import type { RedriveResult } from '../../shared/contract/operator.js';
import type { MessageView } from '../../shared/contract/views.js';

/** Rows the browser keeps per topic; older rows are dropped so a long session stays small. */
export const maxRowsPerTopic = 200;

export const rowId = (message: Pick<MessageView, 'partition' | 'offset'>): string =>
  `${message.partition}:${message.offset}`;

/**
 * Puts a poll's new messages (newest first) ahead of the rows shown, skipping any already shown, and
 * keeps at most `cap`. Returns the rows to show and the ids of the rows that were dropped.
 */
export const mergeNewest = (
  shown: readonly MessageView[],
  incoming: readonly MessageView[],
  cap: number = maxRowsPerTopic,
): { rows: MessageView[]; added: MessageView[]; dropped: string[] } => {
  const known = new Set(shown.map(rowId));
  const added = incoming.filter((message) => !known.has(rowId(message)));
  const all = [...added, ...shown];
  return { rows: all.slice(0, cap), added, dropped: all.slice(cap).map(rowId) };
};

/** One line of a value for a table cell. */
export const preview = (message: MessageView, maxChars = 140): string => {
  const { value } = message;
  if (value.encoding === 'null') return '(null)';
  const flat =
    value.encoding === 'json'
      ? JSON.stringify(JSON.parse(value.text) as unknown)
      : value.encoding === 'hex'
        ? `hex ${value.text.replace(/\n/g, ' ')}`
        : value.text.replace(/\s+/g, ' ');
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
};

export const keyText = (message: MessageView): string =>
  message.key.encoding === 'null'
    ? '(null)'
    : message.key.encoding === 'hex'
      ? `hex ${message.key.text}`
      : message.key.text;

/** `14:03:07.123`, local time; the details view shows the full ISO time. */
export const clock = (epochMs: number): string => {
  const date = new Date(epochMs);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
};

/** `in 3.2 s` or `1.0 s ago`, relative to `now`. */
export const relative = (epochMs: number, now: number): string => {
  const seconds = (epochMs - now) / 1000;
  return seconds >= 0 ? `in ${seconds.toFixed(1)} s` : `${(-seconds).toFixed(1)} s ago`;
};

/** Parses `sku-1:2, sku-2:1` into order items; an empty text gives none. */
export const parseItems = (text: string): Array<{ sku: string; quantity: number }> | undefined => {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return undefined;
  return parts.map((part) => {
    const [sku = '', quantity = '1'] = part.split(':').map((piece) => piece.trim());
    return { sku, quantity: Number(quantity) };
  });
};

/** Parses `name: value` lines into headers. */
export const parseHeaderLines = (text: string): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
};

/** One status line for a redrive: what was (or would be) sent, what was left alone, what was looked at. */
export const describeRedrive = (result: RedriveResult): string => {
  const parts = [
    result.dryRun ? `dry run: would redrive ${result.planned.length}` : `redrove ${result.sent}`,
  ];
  if (result.recovered > 0) parts.push(`${result.recovered} found sent by an interrupted run`);
  if (result.alreadyRedriven > 0) {
    parts.push(`already redriven ${result.alreadyRedriven} (tick "again" to resend)`);
  }
  if (result.skipped.length > 0) {
    parts.push(`skipped ${result.skipped.length}: ${result.skipped[0]?.reason}`);
  }
  // The whole retained DLQ is scanned now, not a buffer: "the latest N held" is all the topic holds.
  parts.push(
    `scanned the latest ${result.scanned} DLQ records held (the whole retained DLQ), ${result.matched} matching`,
  );
  return parts.join('; ');
};
