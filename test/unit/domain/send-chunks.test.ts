import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import { messageBytes, splitIntoSendChunks } from '../../../shared/domain/send-chunks.js';

const message = (id: number, valueBytes: number): OutboundMessage => ({
  topic: 'orders.dlq',
  key: Buffer.from(`k-${id}`),
  value: Buffer.alloc(valueBytes, 1),
  headers: { 'x-attempt': Buffer.from('1') },
});

describe('splitIntoSendChunks', () => {
  it('keeps small batches in one chunk', () => {
    // Prepare
    const messages = [1, 2, 3].map((id) => message(id, 100));

    // Act
    const chunks = splitIntoSendChunks(messages, 10_000);

    // Assess
    expect(chunks).toEqual([messages]);
  });

  it('splits at the byte limit and keeps the order of every message', () => {
    // Prepare
    const messages = Array.from({ length: 10 }, (_, id) => message(id, 300));
    const limit = messageBytes(messages[0] as OutboundMessage) * 3;

    // Act
    const chunks = splitIntoSendChunks(messages, limit);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks)
      expect(chunk.reduce((sum, m) => sum + messageBytes(m), 0)).toBeLessThanOrEqual(limit);
  });

  it('sends a message larger than the limit alone', () => {
    // Prepare
    const messages = [message(1, 10), message(2, 5_000), message(3, 10)];

    // Act
    const chunks = splitIntoSendChunks(messages, 1_000);

    // Assess
    expect(chunks.map((chunk) => chunk.map((m) => m.key?.toString()))).toEqual([['k-1'], ['k-2'], ['k-3']]);
  });

  it('returns no chunk for no message', () => {
    // Act
    const chunks = splitIntoSendChunks([]);

    // Assess
    expect(chunks).toEqual([]);
  });
});
