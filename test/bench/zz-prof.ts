import { applyBenchEnv } from './bench-env.js';

applyBenchEnv();
const { batchEvent } = await import('./batch-events.js');
const { handler } = await import('../../functions/main-consumer/handler.js');
const { createLambdaContext } = await import('../../infra/local/runner/lambda-context.js');
const events = Array.from({ length: 300 }, (_, sample) =>
  batchEvent({ brokers: 'x:1', topic: 'orders.v1', run: 'p', sample, records: 1000, failures: 0 }),
);
const t = performance.now();
for (const e of events) await handler(e, createLambdaContext('m', 60, 512));
console.log('us/record', (((performance.now() - t) * 1000) / 300000).toFixed(2));
