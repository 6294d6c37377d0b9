// The targets are part of the contract module, which the browser imports too.
import { RedriveTarget } from '../contract/operator.js';
import { RedriveError } from './errors.js';
import {
  decodeFailureHeaders,
  encodeFailureHeaders,
  type FailureState,
  userHeaders,
} from './failure-headers.js';
import type { OutboundMessage } from './failure-routing.js';
import type { ConsumedRecord } from './kafka-event.js';
import type { Topics } from './topics.js';

// Re-exported where callers have always found it; the class lives in the one error module.
export { RedriveError } from './errors.js';
export { RedriveTarget };

/**
 * Builds the record that sends a DLQ record back for processing: to the topic it first came from, or
 * to the retry topic, due at once. Attempts restart at zero; the history of the error stays for the
 * operator, and audit headers say it was redriven, when and from where.
 */
export const buildRedrive = (
  dlqRecord: ConsumedRecord,
  target: RedriveTarget,
  topics: Topics,
  now: number,
): OutboundMessage => {
  const previous = decodeFailureHeaders(dlqRecord.headers);
  if (previous === undefined) {
    throw new RedriveError(
      `${dlqRecord.topic}:${dlqRecord.partition}:${dlqRecord.offset} has no failure headers: it was not dead-lettered by this pipeline`,
    );
  }
  const topic = target === RedriveTarget.retry ? topics.retry : previous.origin.topic;
  if (topic !== topics.orders && topic !== topics.retry) {
    throw new RedriveError(`origin topic ${topic} is not one this pipeline consumes`);
  }
  const { deadLetterReason: _reason, dueAt: _dueAt, ...history } = previous;
  const state: FailureState = {
    ...history,
    attempt: 0,
    ...(topic === topics.retry ? { dueAt: now } : {}),
    redrive: {
      count: (previous.redrive?.count ?? 0) + 1,
      at: now,
      from: `${dlqRecord.topic}:${dlqRecord.partition}:${dlqRecord.offset}`,
    },
  };
  return {
    topic,
    key: dlqRecord.key,
    value: dlqRecord.value,
    headers: { ...userHeaders(dlqRecord.headers), ...encodeFailureHeaders(state) },
  };
};
