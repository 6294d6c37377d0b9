import { z } from 'zod';
import { TopicRole } from '../contract/topics.js';
import { OrderValidationError } from '../domain/errors.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import { formatIssues, validateOrder } from '../domain/order-schema.js';
import type { Topics } from '../domain/topics.js';
import { invalidInput } from './errors.js';

const headerName = z.string().min(1).max(128);

/**
 * What to produce. `form` is an order, validated by the shared order schema. `raw` sends whatever the
 * operator types, which is how poison is reproduced: only its size is bounded.
 */
export const produceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('form'), order: z.unknown() }).strict(),
  z
    .object({
      mode: z.literal('raw'),
      topic: z.enum([TopicRole.orders, TopicRole.retry]).default(TopicRole.orders),
      key: z.string().max(1024).nullable().default(null),
      value: z
        .string()
        .max(128 * 1024)
        .nullable(),
      valueEncoding: z.enum(['utf8', 'hex', 'base64']).default('utf8'),
      headers: z
        .record(headerName, z.string().max(4096))
        .refine((headers) => Object.keys(headers).length <= 32, 'at most 32 headers')
        .default({}),
    })
    .strict(),
]);
export type ProduceRequest = z.infer<typeof produceSchema>;

export const parseProduceRequest = (body: unknown): ProduceRequest => {
  const result = produceSchema.safeParse(body);
  if (!result.success) throw invalidInput(`invalid produce request: ${formatIssues(result.error.issues)}`);
  return result.data;
};

const decodeRaw = (text: string, encoding: 'utf8' | 'hex' | 'base64'): Buffer => {
  if (encoding === 'hex') {
    const compact = text.replace(/\s+/g, '');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) throw invalidInput('value is not valid hex');
    return Buffer.from(compact, 'hex');
  }
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw invalidInput('value is not valid base64');
    return Buffer.from(text, 'base64');
  }
  return Buffer.from(text, 'utf8');
};

/**
 * The record a produce request sends. A form order is validated by the shared schema (a rejected one
 * throws before anything is sent) and keyed by its order id; a raw request is sent as typed.
 */
export const buildProduceMessage = (request: ProduceRequest, topics: Topics): OutboundMessage => {
  if (request.mode === 'form') {
    let order: ReturnType<typeof validateOrder>;
    try {
      order = validateOrder(request.order);
    } catch (error) {
      if (error instanceof OrderValidationError) throw invalidInput(error.message, { cause: error });
      throw error;
    }
    return {
      topic: topics.orders,
      key: Buffer.from(order.orderId),
      value: Buffer.from(JSON.stringify(order)),
      headers: { 'content-type': Buffer.from('application/json') },
    };
  }
  return {
    topic: topics[request.topic],
    key: request.key === null ? null : Buffer.from(request.key),
    value: request.value === null ? null : decodeRaw(request.value, request.valueEncoding),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, text]) => [name, Buffer.from(text)]),
    ),
  };
};
