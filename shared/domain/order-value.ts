import { expectedFailure, NullValueError, UndecodableRecordError } from './errors.js';
import type { Order } from './order-schema.js';
import { acceptOrder } from './order-validator.generated.js';
import { rejected } from './schema-rejected.js';

/**
 * A record value as the consumers read it, without loading zod: the bytes decoded to JSON here, and
 * the JSON checked by the validator generated from the order schema. zod (about half of a consumer's
 * handler file, and a fifth of its cold start) is loaded only when that validator rejects a value, to
 * say why in zod's words.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The value's JSON, or a permanent error that says why there is none. The raw bytes are never put into
 * the message: they may hold personal data, and the DLQ record keeps them anyway.
 */
export const decodeOrderJson = (value: Uint8Array | null): unknown => {
  if (value === null) throw expectedFailure(NullValueError, 'record value is null');
  if (value.byteLength === 0) throw expectedFailure(UndecodableRecordError, 'record value is empty');
  let text: string;
  try {
    text = utf8.decode(value);
  } catch (cause) {
    throw expectedFailure(UndecodableRecordError, `record value is not UTF-8 (${value.byteLength} bytes)`, {
      cause,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw expectedFailure(UndecodableRecordError, `record value is not JSON (${value.byteLength} bytes)`, {
      cause,
    });
  }
};

type OrderSchemaModule = typeof import('./order-schema.js');
let schemaModule: Promise<OrderSchemaModule> | undefined;

/** zod's verdict on a value the generated validator rejected: an `OrderValidationError` with its message. */
const validateWithZod = async (json: unknown): Promise<Order> => {
  schemaModule ??= import('./order-schema.js').catch((error: unknown) => {
    // Forgotten, so the next rejected record tries again (the batch routes this one as transient).
    schemaModule = undefined;
    throw error;
  });
  return (await schemaModule).validateOrder(json);
};

/**
 * The order in a record value. A valid order comes back synchronously (no promise per record on the
 * hot path); a value the validator rejects comes back as a promise that rejects with zod's message, or
 * resolves should zod accept what the fast path declined. Null, empty, non-UTF-8 and non-JSON values
 * throw at once.
 */
export const readOrderValue = (value: Uint8Array | null): Order | Promise<Order> => {
  const json = decodeOrderJson(value);
  const order = acceptOrder(json);
  return order === rejected ? validateWithZod(json) : order;
};
