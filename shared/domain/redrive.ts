// The targets are part of the contract module, which the browser imports too.
import { RedriveTarget } from '../contract/operator.js';
import { RedriveError } from './errors.js';
import { FailureHeader, HeaderLimits, readRedriveBasis, truncateUtf8 } from './failure-headers.js';
import type { OutboundMessage } from './failure-routing.js';
import { type ConsumedRecord, setHeader } from './kafka-event.js';
import type { Topics } from './topics.js';

// Re-exported where callers have always found it; the class lives in the one error module.
export { RedriveError } from './errors.js';
export { RedriveTarget };

/** The headers a redrive sets; every other header of the DLQ record goes out as the bytes it came with. */
const rewritten: ReadonlySet<string> = new Set([
  FailureHeader.attempt,
  FailureHeader.dueAt,
  FailureHeader.deadLetterReason,
  FailureHeader.redriveCount,
  FailureHeader.redrivenAt,
  FailureHeader.redrivenFrom,
]);

// A DLQ record written by this pipeline is within these already; one that is not gets them enforced.
const bounded = [
  [FailureHeader.errorClass, HeaderLimits.errorClassBytes],
  [FailureHeader.errorMessage, HeaderLimits.errorMessageBytes],
  [FailureHeader.errorStack, HeaderLimits.errorStackBytes],
] as const;

const attemptZero = Buffer.from('0');

/**
 * Builds the record that sends a DLQ record back for processing: to the topic it first came from, or
 * to the retry topic, due at once. Attempts restart at zero; the history of the error stays for the
 * operator, and audit headers say it was redriven, when and from where.
 *
 * The history is carried as the DLQ record's own header bytes rather than decoded and encoded again:
 * this runs for every record of a bulk redrive, and `decodeFailureHeaders` reads the result the same.
 */
export const buildRedrive = (
  dlqRecord: ConsumedRecord,
  target: RedriveTarget,
  topics: Topics,
  now: number,
  /** Headers set last, over any of the same name the DLQ record had (a redrive run's audit headers). */
  extra: Readonly<Record<string, Buffer>> = {},
): OutboundMessage => {
  const basis = readRedriveBasis(dlqRecord.headers);
  if (basis === undefined) {
    throw new RedriveError(
      `${dlqRecord.topic}:${dlqRecord.partition}:${dlqRecord.offset} has no failure headers: it was not dead-lettered by this pipeline`,
    );
  }
  const topic = target === RedriveTarget.retry ? topics.retry : basis.originTopic;
  if (topic !== topics.orders && topic !== topics.retry) {
    throw new RedriveError(`origin topic ${topic} is not one this pipeline consumes`);
  }
  const headers: Record<string, Buffer> = {};
  for (const name of Object.keys(dlqRecord.headers)) {
    const value = dlqRecord.headers[name];
    if (value !== undefined && !rewritten.has(name)) setHeader(headers, name, value);
  }
  for (const [name, maxBytes] of bounded) {
    const value = headers[name];
    if (value !== undefined && value.length > maxBytes) {
      headers[name] = Buffer.from(truncateUtf8(value.toString('utf8'), maxBytes), 'utf8');
    }
  }
  const at = Buffer.from(String(now));
  headers[FailureHeader.attempt] = attemptZero;
  if (topic === topics.retry) headers[FailureHeader.dueAt] = at;
  headers[FailureHeader.redriveCount] = Buffer.from(String(basis.redriveCount + 1));
  headers[FailureHeader.redrivenAt] = at;
  headers[FailureHeader.redrivenFrom] = Buffer.from(
    `${dlqRecord.topic}:${dlqRecord.partition}:${dlqRecord.offset}`,
  );
  for (const name in extra) {
    const value = extra[name];
    if (value !== undefined) headers[name] = value;
  }
  return { topic, key: dlqRecord.key, value: dlqRecord.value, headers };
};
