import { Encoding, type FailureView, type MessageView, type RenderedBytes } from '../contract/views.js';
import { decodeFailureHeaders, eventIdFor, userHeaders } from '../domain/failure-headers.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';

export { Encoding, type FailureView, type MessageView, type RenderedBytes };

/** A record's coordinates as `topic:partition:offset`, the form of event ids and `x-redriven-from`. */
export const coordinateOf = (record: {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}): string => eventIdFor({ ...record, timestamp: 0 });

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab, newline and carriage return make text unreadable: show hex.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** `de ad be ef …`, 16 bytes a line. */
export const hexDump = (bytes: Uint8Array): string => {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    lines.push(
      Buffer.from(bytes.subarray(at, at + 16))
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 '),
    );
  }
  return lines.join('\n');
};

/** Renders a key, value or header for display, reading at most `maxBytes` of it. */
export const renderBytes = (bytes: Buffer | null, maxBytes: number): RenderedBytes => {
  if (bytes === null) return { encoding: Encoding.null, text: '', bytes: 0, truncated: false };
  const truncated = bytes.byteLength > maxBytes;
  const shown = truncated ? bytes.subarray(0, maxBytes) : bytes;
  let text: string;
  try {
    // A cut may split a UTF-8 character; decode a truncated value leniently only at its very end.
    text = truncated ? new TextDecoder('utf-8').decode(shown) : utf8.decode(shown);
  } catch {
    return { encoding: Encoding.hex, text: hexDump(shown), bytes: bytes.byteLength, truncated };
  }
  if (controlCharacters.test(text)) {
    return { encoding: Encoding.hex, text: hexDump(shown), bytes: bytes.byteLength, truncated };
  }
  if (!truncated) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) {
        return {
          encoding: Encoding.json,
          text: JSON.stringify(parsed, null, 2),
          bytes: bytes.byteLength,
          truncated,
        };
      }
    } catch {
      // Not JSON: shown as text.
    }
  }
  return { encoding: Encoding.text, text, bytes: bytes.byteLength, truncated };
};

export const RenderLimits = {
  /** Per value in a list: enough to recognise an order, small enough for a 1 s poll. */
  listValueBytes: 4 * 1024,
  /** Per value in the details view. */
  detailValueBytes: 256 * 1024,
  keyBytes: 512,
  headerBytes: 1024,
} as const;

/** Everything the UI shows about one record. */
export const toMessageView = (record: ConsumedRecord, valueBytes: number): MessageView => {
  const state = decodeFailureHeaders(record.headers);
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: renderBytes(record.key, RenderLimits.keyBytes),
    value: renderBytes(record.value, valueBytes),
    headers: Object.entries(userHeaders(record.headers)).map(([name, value]) => ({
      name,
      value: renderBytes(value, RenderLimits.headerBytes),
    })),
    ...(state === undefined
      ? {}
      : {
          failure: {
            eventId: state.eventId,
            attempt: state.attempt,
            ...(state.dueAt === undefined ? {} : { dueAt: state.dueAt }),
            firstFailureAt: state.firstFailureAt,
            lastFailureAt: state.lastFailureAt,
            errorKind: state.error.kind,
            errorClass: state.error.className,
            errorMessage: state.error.message,
            ...(state.error.stack === undefined ? {} : { errorStack: state.error.stack }),
            origin: eventIdFor(state.origin),
            originTimestamp: state.origin.timestamp,
            ...(state.deadLetterReason === undefined ? {} : { reason: state.deadLetterReason }),
            ...(state.redrive === undefined ? {} : { redrive: state.redrive }),
          },
        }),
  };
};
