import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../infra/local/runner/lambda-context.js';
import { buildSelfManagedKafkaEvent } from '../../../infra/local/runner/lambda-event.js';
import { getConfig } from '../../../shared/adapters/config.js';
import { createConsumerHandler } from '../../../shared/consumer/consumer-handler.js';

/** `count` records of distinct keys, all of which succeed: nothing to publish, no broker needed. */
const event = (count: number) =>
  buildSelfManagedKafkaEvent(
    '127.0.0.1:1',
    'orders.v1',
    0,
    Array.from({ length: count }, (_, offset) => ({
      key: Buffer.from(`o-${offset}`),
      value: Buffer.from(JSON.stringify({ orderId: `o-${offset}`, amount: 1 })),
      timestamp: '0',
      attributes: 0,
      offset: String(offset),
      headers: {},
    })),
  );

describe('createConsumerHandler', () => {
  it.each([1, 3, 16])('runs at most PROCESSING_CONCURRENCY=%i records at once', async (concurrency) => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const handler = createConsumerHandler({
      role: 'main',
      config: { ...getConfig(), processingConcurrency: concurrency },
      processOrder: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
      },
    });

    // Act
    const summary = await handler(event(40), createLambdaContext('mainConsumer', 60, 512));

    // Assess
    expect(summary).toMatchObject({ records: 40, processed: 40, published: 0 });
    expect(peak).toBe(concurrency);
  });
});
