import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';

// patches/kafkajs+2.2.4.patch replaces kafkajs' record encoder and decoder with faster ones. These tests
// hold them to the originals: the reference implementations below are kafkajs 2.2.4's own record/v0
// code, composed from its primitives that the patch leaves alone (Encoder, Decoder, Long, the header
// codec), and the patched modules must agree with them byte for byte and field for field.

const require = createRequire(import.meta.url);
const protocol = 'kafkajs/src/protocol';
type Headers = Record<string, unknown>;
interface EncoderLike {
  readonly buffer: Buffer;
  size(): number;
  writeVarInt(value: number): EncoderLike;
  writeInt8(value: number): EncoderLike;
  writeVarLong(value: number): EncoderLike;
  writeVarIntBytes(value: unknown): EncoderLike;
  writeVarIntArray(encoders: EncoderLike[]): EncoderLike;
}
interface RecordArgs {
  offsetDelta?: number;
  timestampDelta?: number;
  key: unknown;
  value: unknown;
  headers?: Headers;
}
interface DecoderLike {
  offset: number;
  readVarInt(): number;
  readInt8(): number;
  readVarLong(): unknown;
  readVarIntBytes(): Buffer | null;
  readVarIntArray<T>(reader: (decoder: DecoderLike) => T): T[];
}
interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  magicByte: number;
  timestampType?: number;
  maxTimestamp?: string;
}
interface DecodedRecord {
  readonly headers: Headers;
  readonly [field: string]: unknown;
}

const Encoder = require(`${protocol}/encoder`) as {
  new (): EncoderLike;
  sizeOfVarLong(value: number): number;
  sizeOfVarInt(value: number): number;
  sizeOfVarIntBytes(value: unknown): number;
};
const Decoder = require(`${protocol}/decoder`) as new (buffer: Buffer) => DecoderLike;
const Long = require('kafkajs/src/utils/long') as {
  fromValue(value: unknown): { add(other: unknown): { toString(): string } };
};
const encodeHeader = require(`${protocol}/recordBatch/header/v0`) as (header: {
  key: string;
  value: unknown;
}) => EncoderLike;
const decodeHeader = require(`${protocol}/recordBatch/header/v0/decoder`) as (decoder: DecoderLike) => {
  key: string;
  value: unknown;
};
const patchedEncode = require(`${protocol}/recordBatch/record/v0`) as (args: RecordArgs) => EncoderLike;
const patchedDecode = require(`${protocol}/recordBatch/record/v0/decoder`) as (
  decoder: DecoderLike,
  context: BatchContext,
) => DecodedRecord;

/** kafkajs 2.2.4 `protocol/recordBatch/record/v0/index.js`, as published. */
const referenceEncode = ({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordArgs) => {
  const headersArray = Object.keys(headers).flatMap((headerKey) => {
    const headerValue = headers[headerKey];
    return Array.isArray(headerValue)
      ? headerValue.map((one: unknown) => ({ key: headerKey, value: one }))
      : [{ key: headerKey, value: headerValue }];
  });
  let sizeOfHeaders = Encoder.sizeOfVarInt(headersArray.length);
  for (const header of headersArray) {
    const keySize = Buffer.byteLength(header.key);
    const valueSize = Buffer.byteLength(header.value as string);
    sizeOfHeaders += Encoder.sizeOfVarInt(keySize) + keySize;
    sizeOfHeaders +=
      header.value === null ? Encoder.sizeOfVarInt(-1) : Encoder.sizeOfVarInt(valueSize) + valueSize;
  }
  const sizeOfBody =
    1 +
    Encoder.sizeOfVarLong(timestampDelta) +
    Encoder.sizeOfVarInt(offsetDelta) +
    Encoder.sizeOfVarIntBytes(key) +
    Encoder.sizeOfVarIntBytes(value) +
    sizeOfHeaders;
  return new Encoder()
    .writeVarInt(sizeOfBody)
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarIntArray(headersArray.map(encodeHeader));
};

/** kafkajs 2.2.4 `protocol/recordBatch/record/v0/decoder.js`, as published. */
const referenceDecode = (decoder: DecoderLike, context: BatchContext) => {
  const attributes = decoder.readInt8();
  const timestampDelta = decoder.readVarLong();
  const timestamp =
    context.timestampType === 1 && context.maxTimestamp
      ? context.maxTimestamp
      : Long.fromValue(context.firstTimestamp).add(timestampDelta).toString();
  const offsetDelta = decoder.readVarInt();
  const offset = Long.fromValue(context.firstOffset).add(offsetDelta).toString();
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = (
    decoder.readVarIntArray(decodeHeader as never) as Array<{ key: string; value: unknown }>
  ).reduce(
    (object: Headers, header) => ({
      // biome-ignore lint/performance/noAccumulatingSpread: the reference is kafkajs' code as published, quadratic spread included
      ...object,
      [header.key]:
        object[header.key] === undefined
          ? header.value
          : Array.isArray(object[header.key])
            ? (object[header.key] as unknown[]).concat([header.value])
            : [object[header.key], header.value],
    }),
    {},
  );
  return {
    magicByte: context.magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: false,
    batchContext: context,
  };
};

// A seeded generator, so a failure reproduces.
const random = (() => {
  let state = 0x2545f491;
  return (below: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
})();
const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;
const text = (): string => {
  let out = '';
  for (let index = random(40); index > 0; index -= 1) out += pick(['a', 'é', '€', '😀', 'x', '\u0000', '"']);
  return out;
};
const field = (): unknown =>
  pick([() => null, () => Buffer.from(text()), () => text(), () => Buffer.alloc(random(3_000), 7)])();
const varLongs = [
  0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  1e6,
  -1e6,
  2 ** 28,
  2 ** 30 - 1,
  2 ** 30,
  -(2 ** 30),
  2 ** 31,
  2 ** 40,
];
const varLongCases = [...varLongs, -(2 ** 45), 1_733_000_000_000];

const randomRecord = (): RecordArgs => {
  const headers: Headers = {};
  for (let index = random(20); index > 0; index -= 1) {
    headers[`${text()}-${index}`] =
      random(5) === 0 ? [Buffer.from(text()), text()] : random(2) === 0 ? Buffer.from(text()) : text();
  }
  return {
    offsetDelta: random(3) === 0 ? pick(varLongs.slice(0, 11)) : random(100_000),
    timestampDelta: pick(varLongCases),
    key: field(),
    value: field(),
    headers,
  };
};

const decodeWith = (decode: typeof referenceDecode, bytes: Buffer, context: BatchContext) => {
  const decoder = new Decoder(bytes);
  decoder.readVarInt(); // the record's length, which the record batch decoder reads before the record
  const record = decode(decoder, context);
  return { record, end: decoder.offset };
};

describe('the patched kafkajs record codec', () => {
  it('is installed: npm ci applies patches/ through postinstall', () => {
    // Assess
    for (const file of ['index.js', 'decoder.js']) {
      const source = readFileSync(require.resolve(`${protocol}/recordBatch/record/v0/${file}`), 'utf8');
      expect(source, `${file}: run npm ci (or npx patch-package) to apply patches/`).toContain(
        'Patched (kafka-dlq-orders',
      );
    }
  });

  it('encodes every record byte for byte as kafkajs 2.2.4 did', () => {
    // Prepare
    const cases = Array.from({ length: 3_000 }, randomRecord);

    // Act
    const differing = cases.flatMap((args, index) => {
      const patched = patchedEncode(args);
      const reference = referenceEncode(args);
      return patched.buffer.equals(reference.buffer) && patched.size() === reference.size() ? [] : [index];
    });

    // Assess
    expect(differing).toEqual([]);
  });

  it('decodes every record as kafkajs 2.2.4 did, repeated header keys included', () => {
    // Prepare
    const cases = [
      { key: null, value: 'v', headers: { a: ['1', '2', '3'] } },
      ...Array.from({ length: 3_000 }, randomRecord),
    ].map((args) => ({
      bytes: referenceEncode(args).buffer,
      context: {
        firstOffset: pick(['0', String(random(1e9)), '9007199254740990', '9223372036854775000']),
        firstTimestamp: String(1_733_000_000_000 - random(1e6)),
        magicByte: 2,
        timestampType: random(4) === 0 ? 1 : 0,
        maxTimestamp: '1733000000001',
      },
    }));

    // Act
    const differing = cases.flatMap(({ bytes, context }, index) => {
      const patched = decodeWith(patchedDecode as typeof referenceDecode, bytes, context);
      const reference = decodeWith(referenceDecode, bytes, context);
      // Deep and strict: the same fields, the same own header keys in the same order, plain prototypes.
      return isDeepStrictEqual(patched, reference) ? [] : [index];
    });

    // Assess
    expect(differing).toEqual([]);
    const repeated = cases[0] as (typeof cases)[number];
    const { record } = decodeWith(patchedDecode as typeof referenceDecode, repeated.bytes, repeated.context);
    expect(record.headers.a).toEqual(['1', '2', '3'].map((one) => Buffer.from(one)));
  });

  // The patched decoder hands back one string per distinct key, trying first the key the previous record
  // had at the same position: keys that repeat, move, or differ in one byte must still decode as they are.
  it('decodes header keys that repeat, move and nearly match across records as kafkajs 2.2.4 did', () => {
    // Prepare
    const keySets = [
      ['x-event-id', 'x-attempt', 'x-error-class', 'é€😀'],
      ['x-attempt', 'x-event-id', 'x-error-class', 'é€😀'],
      ['x-event-ie', 'x-attempu', 'x-error-clasz', 'é€😁'],
      ['x-event-id', 'x-attempt', 'x-error-class', 'é€😀', 'x-extra'],
      ['x-event-id', 'x-attempt', 'x-error-class', 'é€😀', 'x-extra', 'k'.repeat(65)],
      ['', 'x-event-id', 'x-error-class'],
    ];
    const cases = Array.from({ length: 600 }, (_, index) => {
      const headers: Headers = {};
      for (const name of pick(keySets)) {
        Object.defineProperty(headers, name, { value: Buffer.from(`${name}:${index}`), enumerable: true });
      }
      return referenceEncode({ key: null, value: 'v', headers }).buffer;
    });
    const context: BatchContext = { firstOffset: '0', firstTimestamp: '1733000000000', magicByte: 2 };

    // Act
    const differing = cases.flatMap((bytes, index) =>
      isDeepStrictEqual(
        decodeWith(patchedDecode as typeof referenceDecode, bytes, context),
        decodeWith(referenceDecode, bytes, context),
      )
        ? []
        : [index],
    );

    // Assess
    expect(differing).toEqual([]);
  });

  // kafkajs 2.2.4 read `headers[key]` through the prototype, so a header named like an Object.prototype
  // member decoded as [that member, value]. The patch reads own properties only.
  it('decodes a header named "__proto__" or "toString" as an own property holding its value', () => {
    // Prepare
    const headers: Headers = { toString: Buffer.from('t') };
    Object.defineProperty(headers, '__proto__', { value: Buffer.from('p'), enumerable: true });
    const bytes = referenceEncode({ key: null, value: 'v', headers }).buffer;
    const context: BatchContext = { firstOffset: '5', firstTimestamp: '1733000000000', magicByte: 2 };

    // Act
    const { record } = decodeWith(patchedDecode as typeof referenceDecode, bytes, context);

    // Assess
    expect(Object.keys(record.headers)).toEqual(['toString', '__proto__']);
    expect(Object.getPrototypeOf(record.headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record.headers, '__proto__')?.value).toEqual(Buffer.from('p'));
    expect(record.headers.toString).toEqual(Buffer.from('t'));
  });
});
