import type { Coordinate } from '../contract/views.js';

/**
 * A page position over (partition, offset): the last record a page returned. Pages are ordered by
 * partition, then offset, newest offsets first, so the next page holds what sorts after it.
 */
export interface PageCursor extends Coordinate {}

/** Newest first: a higher offset sorts first within a partition; partitions in ascending order. */
export const comparePosition = (a: Coordinate, b: Coordinate): number =>
  a.partition !== b.partition ? a.partition - b.partition : b.offset - a.offset;

export const isAfterCursor = (position: Coordinate, cursor: PageCursor | undefined): boolean =>
  cursor === undefined || comparePosition(position, cursor) > 0;

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/** Opaque to clients: `<partition>.<offset>`, base64url. */
export const encodeCursor = (cursor: PageCursor): string =>
  Buffer.from(`${cursor.partition}.${cursor.offset}`).toString('base64url');

export const decodeCursor = (text: string | undefined): PageCursor | undefined => {
  if (text === undefined || text === '') return undefined;
  if (text.length > 64 || !/^[\w-]+$/.test(text)) throw new InvalidCursorError();
  const match = /^(\d{1,5})\.(\d{1,18})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (match === null) throw new InvalidCursorError();
  return { partition: Number(match[1]), offset: Number(match[2]) };
};

/**
 * Keeps the first `limit` records after a cursor, in page order, from a stream that is in offset order
 * per partition but interleaved across partitions. Memory: at most `limit` per partition.
 */
export class PageCollector<T extends Coordinate> {
  readonly #perPartition = new Map<number, T[]>();
  #accepted = 0;

  constructor(
    private readonly limit: number,
    private readonly cursor: PageCursor | undefined,
  ) {}

  offer(item: T): void {
    if (!isAfterCursor(item, this.cursor)) return;
    this.#accepted += 1;
    const list = this.#perPartition.get(item.partition) ?? [];
    // Ascending offsets arrive; the page wants the highest ones of each partition first.
    list.push(item);
    if (list.length > this.limit) list.shift();
    this.#perPartition.set(item.partition, list);
  }

  /** The page, and whether more matching records sort after it. */
  page(): { items: T[]; more: boolean } {
    const all = [...this.#perPartition.values()].flat().sort(comparePosition);
    return { items: all.slice(0, this.limit), more: this.#accepted > this.limit };
  }
}
