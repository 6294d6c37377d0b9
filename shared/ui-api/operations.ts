import { OrderValidationError } from '../domain/errors.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import { validateOrder } from '../domain/order-schema.js';
import type { Topics } from '../domain/topics.js';
import { ApiError } from './http.js';
import type { ProduceRequest } from './requests.js';

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
      if (error instanceof OrderValidationError) throw new ApiError(400, error.message);
      throw error;
    }
    return {
      topic: topics.orders,
      key: Buffer.from(order.orderId),
      value: Buffer.from(JSON.stringify(order)),
      headers: { 'content-type': Buffer.from('application/json') },
    };
  }
  const value = request.value === null ? null : decodeRaw(request.value, request.valueEncoding);
  return {
    topic: topics[request.topic],
    key: request.key === null ? null : Buffer.from(request.key),
    value,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, text]) => [name, Buffer.from(text)]),
    ),
  };
};

const decodeRaw = (text: string, encoding: 'utf8' | 'hex' | 'base64'): Buffer => {
  if (encoding === 'hex') {
    const compact = text.replace(/\s+/g, '');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) throw new ApiError(400, 'value is not valid hex');
    return Buffer.from(compact, 'hex');
  }
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw new ApiError(400, 'value is not valid base64');
    return Buffer.from(text, 'base64');
  }
  return Buffer.from(text, 'utf8');
};
