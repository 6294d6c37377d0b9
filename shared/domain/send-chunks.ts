import type { OutboundMessage } from './failure-routing.js';

/**
 * Bytes a producer request may carry for one call. Kafka checks each partition's record batch against
 * `message.max.bytes` (about 1 MiB by default) and kafkajs puts all of a call's records for one
 * partition into one batch, so a call stays well under that.
 */
export const maxSendChunkBytes = 900 * 1024;

// Per-record framing in a v2 record batch: length, attributes, deltas and header counts, generously.
const recordOverheadBytes = 64;

// Header names repeat on every record: each one's UTF-8 length is measured once (bounded, in case not).
const nameBytes = new Map<string, number>();
const nameBytesOf = (name: string): number => {
  let bytes = nameBytes.get(name);
  if (bytes === undefined) {
    bytes = Buffer.byteLength(name);
    if (nameBytes.size >= 1_000) nameBytes.clear();
    nameBytes.set(name, bytes);
  }
  return bytes;
};

/** The size a message occupies in a record batch, before compression. */
export const messageBytes = (message: OutboundMessage): number => {
  let bytes = recordOverheadBytes + (message.key?.byteLength ?? 0) + (message.value?.byteLength ?? 0);
  // A plain loop: this runs for every record a redrive sends.
  for (const name in message.headers) {
    bytes += nameBytesOf(name) + (message.headers[name]?.byteLength ?? 0) + 8;
  }
  return bytes;
};

/**
 * Splits messages into consecutive chunks of at most `maxBytes`, keeping their order, so that sending
 * the chunks one after another keeps every key's order. A message larger than `maxBytes` goes alone.
 */
export const splitIntoSendChunks = (
  messages: readonly OutboundMessage[],
  maxBytes: number = maxSendChunkBytes,
): OutboundMessage[][] => {
  const chunks: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (current.length > 0 && currentBytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
