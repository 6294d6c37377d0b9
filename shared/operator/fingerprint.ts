import { createHash } from 'node:crypto';
import { FailureHeader } from '../contract/headers.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';

// One pass over the message: quoted values first in the alternation, so a number inside quotes does not
// leave a half-replaced string behind; then UUIDs, hex ids, and words containing digits.
const volatileParts =
  /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)|(\b0x[0-9a-f]+\b|\b[0-9a-f]{16,}\b)|(\b[\w.-]*\d[\w.:-]*\b)/gi;

const placeholder = (word: string, quoted?: string, uuid?: string, hex?: string): string => {
  if (quoted !== undefined) return '<str>';
  if (uuid !== undefined) return '<uuid>';
  if (hex !== undefined) return '<hex>';
  return /^[\d.,:-]+$/.test(word) ? '<n>' : '<id>';
};

/**
 * Normalises an error message so failures of one cause share it: quoted values, UUIDs, hex ids,
 * numbers and words containing digits (order ids like `o-1234`) become placeholders.
 */
export const normaliseMessage = (message: string): string =>
  message.replace(volatileParts, placeholder).replace(/\s+/g, ' ').trim();

export interface Fingerprint {
  readonly fingerprint: string;
  readonly reason: string;
  readonly errorClass: string;
  readonly template: string;
}

/** What a record without failure headers counts as: it was not dead-lettered by this pipeline. */
export const UnknownFailure = { reason: 'unknown', errorClass: 'none' } as const;

// Distinct causes are few even in a large DLQ: hash each once. Bounded, in case every message differs.
const known = new Map<string, Fingerprint>();
// The same fingerprints by their hash: a record of another reason or error class cannot have one, and
// telling so costs no normalising (most of a group scan's records are of other groups).
const byFingerprint = new Map<string, Fingerprint>();
const knownMax = 10_000;

/** The fingerprint of reason, error class and normalised message; short, stable and URL-safe. */
export const fingerprintOf = (reason: string, errorClass: string, message: string): Fingerprint => {
  const template = normaliseMessage(message);
  const id = `${reason}\u0000${errorClass}\u0000${template}`;
  let key = known.get(id);
  if (key === undefined) {
    const fingerprint = createHash('sha256').update(id).digest('base64url').slice(0, 16);
    key = { fingerprint, reason, errorClass, template };
    if (known.size >= knownMax) {
      known.clear();
      byFingerprint.clear();
    }
    known.set(id, key);
    byFingerprint.set(fingerprint, key);
  }
  return key;
};

/** A DLQ record's fingerprint, from its failure headers (only the three it needs are read). */
export const fingerprintRecord = (record: ConsumedRecord): Fingerprint => {
  const failure = failureKeyOf(record);
  if (failure === undefined) return fingerprintOf(UnknownFailure.reason, UnknownFailure.errorClass, '');
  return fingerprintOf(failure.reason, failure.errorClass, failure.message);
};

/** The UTF-8 bytes of a known fingerprint's reason and class, to compare headers with before decoding them. */
const bytesOf = new Map<string, { reason: Buffer; errorClass: Buffer }>();

/** Whether `header` (absent: `fallback`) holds the text `expected`, whose bytes are `bytes`. */
const headerIs = (header: Buffer | undefined, fallback: string, expected: string, bytes: Buffer): boolean =>
  header === undefined ? fallback === expected : header.length === bytes.length && header.equals(bytes);

/** Whether a DLQ record's fingerprint is `fingerprint` (`fingerprintRecord`, often without computing it). */
export const hasFingerprint = (record: ConsumedRecord, fingerprint: string): boolean => {
  const { headers } = record;
  const failed = isDeadLettered(headers);
  // Most records of a group scan are of other reasons or classes: once the fingerprint is known, those are
  // told apart by the header bytes alone, mostly by their length, without decoding a string.
  // (Equal bytes are equal text unless the text holds U+FFFD, which invalid bytes also decode to.)
  const seen = byFingerprint.get(fingerprint);
  if (seen !== undefined && failed && !`${seen.reason}${seen.errorClass}`.includes('\uFFFD')) {
    let bytes = bytesOf.get(fingerprint);
    if (bytes === undefined) {
      bytes = { reason: Buffer.from(seen.reason), errorClass: Buffer.from(seen.errorClass) };
      if (bytesOf.size >= knownMax) bytesOf.clear();
      bytesOf.set(fingerprint, bytes);
    }
    if (
      !headerIs(headers[FailureHeader.errorClass], 'Error', seen.errorClass, bytes.errorClass) ||
      !headerIs(headers[FailureHeader.deadLetterReason], UnknownFailure.reason, seen.reason, bytes.reason)
    ) {
      return false;
    }
  }
  const reason = failed
    ? (headers[FailureHeader.deadLetterReason]?.toString('utf8') ?? UnknownFailure.reason)
    : UnknownFailure.reason;
  const errorClass = failed
    ? (headers[FailureHeader.errorClass]?.toString('utf8') ?? 'Error')
    : UnknownFailure.errorClass;
  const message = failed ? (headers[FailureHeader.errorMessage]?.toString('utf8') ?? '') : '';
  return fingerprintOf(reason, errorClass, message).fingerprint === fingerprint;
};

/** Whether the headers carry a failure state (the same test `decodeFailureHeaders` makes first). */
const isDeadLettered = (headers: ConsumedRecord['headers']): boolean =>
  headers[FailureHeader.eventId] !== undefined &&
  headers[FailureHeader.originTopic] !== undefined &&
  headers[FailureHeader.attempt] !== undefined;

/**
 * The reason, error class and message of a dead-lettered record, read straight from its headers; the
 * scan calls this for every record, and a full decode of the failure state costs several times more.
 * Undefined when the record carries no failure state (the same test `decodeFailureHeaders` makes).
 */
export const failureKeyOf = (
  record: ConsumedRecord,
): { reason: string; errorClass: string; message: string; originTopic: string } | undefined => {
  const { headers } = record;
  const originTopic = headers[FailureHeader.originTopic];
  if (originTopic === undefined || !isDeadLettered(headers)) return undefined;
  return {
    reason: headers[FailureHeader.deadLetterReason]?.toString('utf8') ?? UnknownFailure.reason,
    errorClass: headers[FailureHeader.errorClass]?.toString('utf8') ?? 'Error',
    message: headers[FailureHeader.errorMessage]?.toString('utf8') ?? '',
    originTopic: originTopic.toString('utf8'),
  };
};
