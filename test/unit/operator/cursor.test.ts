import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  PageCollector,
} from '../../../shared/operator/cursor.js';

const at = (partition: number, offset: number) => ({ partition, offset });

describe('cursor', () => {
  it('round-trips a position as an opaque string', () => {
    // Act
    const text = encodeCursor(at(2, 12345));

    // Assess
    expect(text).toMatch(/^[\w-]+$/);
    expect(decodeCursor(text)).toEqual(at(2, 12345));
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    '%%%',
    'x'.repeat(65),
    Buffer.from('1.2.3').toString('base64url'),
    Buffer.from('a.b').toString('base64url'),
  ])('refuses the cursor %j', (text) => {
    // Act
    const decode = () => decodeCursor(text);

    // Assess
    expect(decode).toThrow(InvalidCursorError);
  });
});

describe('PageCollector', () => {
  // Records arrive as a scan delivers them: offset order per partition, partitions interleaved.
  const stream = [at(1, 0), at(0, 0), at(1, 1), at(0, 1), at(0, 2), at(2, 0), at(1, 2), at(0, 3)];

  const pages = (limit: number) => {
    const all: Array<ReturnType<typeof at>[]> = [];
    let cursor: ReturnType<typeof at> | undefined;
    for (;;) {
      const collector = new PageCollector(limit, cursor);
      for (const item of stream) collector.offer(item);
      const { items, more } = collector.page();
      all.push(items);
      if (!more) return all;
      cursor = items[items.length - 1];
    }
  };

  it('pages by partition, newest offset first, each record on exactly one page', () => {
    // Act
    const result = pages(3);

    // Assess
    expect(result).toEqual([
      [at(0, 3), at(0, 2), at(0, 1)],
      [at(0, 0), at(1, 2), at(1, 1)],
      [at(1, 0), at(2, 0)],
    ]);
  });

  it('says there is more when one partition alone holds more than a page', () => {
    // Prepare
    const collector = new PageCollector(2, undefined);

    // Act
    for (let offset = 0; offset < 5; offset += 1) collector.offer(at(0, offset));

    // Assess
    expect(collector.page()).toEqual({ items: [at(0, 4), at(0, 3)], more: true });
  });
});
