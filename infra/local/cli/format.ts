import type { MessageView } from '../../../shared/contract/views.js';

/** Human-readable lines for the CLI; `--json` prints the same views as JSON instead. */
const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const valueText = (message: MessageView): string =>
  message.value.encoding === 'null'
    ? '(null)'
    : message.value.encoding === 'json'
      ? JSON.stringify(JSON.parse(message.value.text) as unknown)
      : message.value.encoding === 'hex'
        ? `hex ${message.value.text}`
        : message.value.text;

export const formatMessage = (message: MessageView): string => {
  const at = new Date(message.timestamp).toISOString();
  const key = message.key.encoding === 'null' ? '(null)' : message.key.text;
  const parts = [
    `${at}  ${message.partition}:${message.offset}  key=${key}  ${oneLine(valueText(message), 100)}`,
  ];
  const failure = message.failure;
  if (failure) {
    parts.push(
      `    attempt ${failure.attempt}${failure.reason ? `  reason ${failure.reason}` : ''}` +
        `${failure.dueAt ? `  due ${new Date(failure.dueAt).toISOString()}` : ''}  origin ${failure.origin}`,
      `    ${failure.errorKind} ${failure.errorClass}: ${oneLine(failure.errorMessage, 160)}`,
    );
    if (failure.redrive) {
      parts.push(
        `    redriven ${failure.redrive.count}x, last ${new Date(failure.redrive.at).toISOString()} from ${failure.redrive.from}`,
      );
    }
  }
  return parts.join('\n');
};
