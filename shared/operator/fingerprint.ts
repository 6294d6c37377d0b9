import { createHash } from 'node:crypto';
import { decodeFailureHeaders } from '../domain/failure-headers.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';

/**
 * Normalises an error message so failures of one cause share it: quoted values, UUIDs, hex ids,
 * numbers and words containing digits (order ids like `o-1234`) become placeholders. Order matters:
 * quotes first, so a number inside a quoted value does not leave a half-replaced string behind.
 */
export const normaliseMessage = (message: string): string =>
  message
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '<str>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/\b[\w.-]*\d[\w.:-]*\b/g, (word) => (/^[\d.,:-]+$/.test(word) ? '<n>' : '<id>'))
    .replace(/\s+/g, ' ')
    .trim();

export interface Fingerprint {
  readonly fingerprint: string;
  readonly reason: string;
  readonly errorClass: string;
  readonly template: string;
}

/** What a record without failure headers counts as: it was not dead-lettered by this pipeline. */
export const UnknownFailure = { reason: 'unknown', errorClass: 'none' } as const;

/** The fingerprint of reason, error class and normalised message; short, stable and URL-safe. */
export const fingerprintOf = (reason: string, errorClass: string, message: string): Fingerprint => {
  const template = normaliseMessage(message);
  const fingerprint = createHash('sha256')
    .update(`${reason}\u0000${errorClass}\u0000${template}`)
    .digest('base64url')
    .slice(0, 16);
  return { fingerprint, reason, errorClass, template };
};

/** A DLQ record's fingerprint, from its failure headers. */
export const fingerprintRecord = (record: ConsumedRecord): Fingerprint => {
  const state = decodeFailureHeaders(record.headers);
  if (state === undefined) return fingerprintOf(UnknownFailure.reason, UnknownFailure.errorClass, '');
  return fingerprintOf(
    state.deadLetterReason ?? UnknownFailure.reason,
    state.error.className,
    state.error.message,
  );
};
