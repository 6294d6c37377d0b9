import { FailureHeader } from '../contract/headers.js';
import { ErrorKind } from './errors.js';
import { type RecordHeaders, setHeader } from './kafka-event.js';

// The names are part of the contract module, which the browser imports too.
export { FailureHeader, type FailureHeaderName } from '../contract/headers.js';

const ourHeaderNames: ReadonlySet<string> = new Set(Object.values(FailureHeader));

/** Bounds, in UTF-8 bytes, of the free-text headers. */
export const HeaderLimits = {
  errorMessageBytes: 1_024,
  errorStackBytes: 4_096,
  errorClassBytes: 128,
} as const;

export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

export interface ErrorSummary {
  readonly kind: ErrorKind;
  readonly className: string;
  readonly message: string;
  readonly stack?: string;
}

export interface RedriveAudit {
  readonly count: number;
  readonly at: number;
  /** `topic:partition:offset` of the DLQ record that was redriven. */
  readonly from: string;
}

/** What a retry or DLQ record says about its history. */
export interface FailureState {
  readonly eventId: string;
  readonly origin: RecordOrigin;
  readonly attempt: number;
  readonly dueAt?: number;
  readonly firstFailureAt: number;
  readonly lastFailureAt: number;
  readonly error: ErrorSummary;
  readonly deadLetterReason?: string;
  readonly redrive?: RedriveAudit;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most texts fit without being measured, and a text that
  // is measured is copied only when it must be cut (this runs for every record a redrive re-publishes).
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  const marker = '…[truncated]';
  const budget = Math.max(0, maxBytes - Buffer.byteLength(marker));
  let cut = budget;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return bytes.subarray(0, cut).toString('utf8') + marker;
};

const put = (target: Record<string, Buffer>, name: string, value: string | number | undefined): void => {
  if (value !== undefined) target[name] = Buffer.from(String(value), 'utf8');
};

/** Encodes the failure state into Kafka headers. */
export const encodeFailureHeaders = (state: FailureState): Record<string, Buffer> => {
  const headers: Record<string, Buffer> = {};
  put(headers, FailureHeader.eventId, state.eventId);
  put(headers, FailureHeader.originTopic, state.origin.topic);
  put(headers, FailureHeader.originPartition, state.origin.partition);
  put(headers, FailureHeader.originOffset, state.origin.offset);
  put(headers, FailureHeader.originTimestamp, state.origin.timestamp);
  put(headers, FailureHeader.attempt, state.attempt);
  put(headers, FailureHeader.dueAt, state.dueAt);
  put(headers, FailureHeader.firstFailureAt, state.firstFailureAt);
  put(headers, FailureHeader.lastFailureAt, state.lastFailureAt);
  put(headers, FailureHeader.errorKind, state.error.kind);
  put(headers, FailureHeader.errorClass, truncateUtf8(state.error.className, HeaderLimits.errorClassBytes));
  put(headers, FailureHeader.errorMessage, truncateUtf8(state.error.message, HeaderLimits.errorMessageBytes));
  if (state.error.stack !== undefined) {
    put(headers, FailureHeader.errorStack, truncateUtf8(state.error.stack, HeaderLimits.errorStackBytes));
  }
  put(headers, FailureHeader.deadLetterReason, state.deadLetterReason);
  if (state.redrive !== undefined) {
    put(headers, FailureHeader.redriveCount, state.redrive.count);
    put(headers, FailureHeader.redrivenAt, state.redrive.at);
    put(headers, FailureHeader.redrivenFrom, state.redrive.from);
  }
  return headers;
};

const text = (headers: RecordHeaders, name: string): string | undefined => headers[name]?.toString('utf8');

const int = (headers: RecordHeaders, name: string): number | undefined => {
  const raw = text(headers, name);
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
};

/**
 * Reads the failure state back. Returns `undefined` when the record has none (a fresh order) or
 * when the required part is unreadable; such a record is then treated as a first attempt, which can
 * only cost an extra retry, never lose the record.
 */
export const decodeFailureHeaders = (headers: RecordHeaders): FailureState | undefined => {
  const eventId = text(headers, FailureHeader.eventId);
  // A fresh order, the common case on the main topic: no other header is looked at.
  if (eventId === undefined) return undefined;
  const originTopic = text(headers, FailureHeader.originTopic);
  const originPartition = int(headers, FailureHeader.originPartition);
  const originOffset = int(headers, FailureHeader.originOffset);
  const attempt = int(headers, FailureHeader.attempt);
  if (
    originTopic === undefined ||
    originPartition === undefined ||
    originOffset === undefined ||
    attempt === undefined
  ) {
    return undefined;
  }
  const redriveCount = int(headers, FailureHeader.redriveCount);
  const kind =
    text(headers, FailureHeader.errorKind) === ErrorKind.permanent
      ? ErrorKind.permanent
      : ErrorKind.transient;
  const stack = text(headers, FailureHeader.errorStack);
  return {
    eventId,
    origin: {
      topic: originTopic,
      partition: originPartition,
      offset: originOffset,
      timestamp: int(headers, FailureHeader.originTimestamp) ?? 0,
    },
    attempt,
    ...optional('dueAt', int(headers, FailureHeader.dueAt)),
    firstFailureAt: int(headers, FailureHeader.firstFailureAt) ?? 0,
    lastFailureAt: int(headers, FailureHeader.lastFailureAt) ?? 0,
    error: {
      kind,
      className: text(headers, FailureHeader.errorClass) ?? 'Error',
      message: text(headers, FailureHeader.errorMessage) ?? '',
      ...optional('stack', stack),
    },
    ...optional('deadLetterReason', text(headers, FailureHeader.deadLetterReason)),
    ...(redriveCount === undefined
      ? {}
      : {
          redrive: {
            count: redriveCount,
            at: int(headers, FailureHeader.redrivenAt) ?? 0,
            from: text(headers, FailureHeader.redrivenFrom) ?? '',
          },
        }),
  };
};

/**
 * What a redrive needs of a record's failure state, read without decoding the rest: undefined exactly
 * when `decodeFailureHeaders` is (the required part missing or unreadable).
 */
export const readRedriveBasis = (
  headers: RecordHeaders,
): { readonly originTopic: string; readonly redriveCount: number } | undefined => {
  const originTopic = text(headers, FailureHeader.originTopic);
  if (
    headers[FailureHeader.eventId] === undefined ||
    originTopic === undefined ||
    int(headers, FailureHeader.originPartition) === undefined ||
    int(headers, FailureHeader.originOffset) === undefined ||
    int(headers, FailureHeader.attempt) === undefined
  ) {
    return undefined;
  }
  return { originTopic, redriveCount: int(headers, FailureHeader.redriveCount) ?? 0 };
};

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** The headers a producer set itself (trace ids, content types): carried along untouched. */
export const userHeaders = (headers: RecordHeaders): Record<string, Buffer> => {
  const kept: Record<string, Buffer> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !ourHeaderNames.has(name)) setHeader(kept, name, value);
  }
  return kept;
};

/** The event id of a record that has not failed before: its first position in the log. */
export const eventIdFor = (origin: RecordOrigin): string =>
  `${origin.topic}:${origin.partition}:${origin.offset}`;
