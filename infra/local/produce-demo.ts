import { parseArgs } from 'node:util';
import { getConfig } from '../../shared/adapters/config.js';
import { closeProducer, publishAll } from '../../shared/adapters/producer.js';
import type { OutboundMessage } from '../../shared/domain/failure-routing.js';
import type { OrderInput } from '../../shared/domain/order-schema.js';
import { brokerStatus } from './broker/index.js';

const usage = `usage: npm run produce -- [--count N]
Produces a demo mix to orders.v1, so all three paths show within a minute:
  ok         orders that succeed at once
  transient  orders with simulate.transientFailures = 2 (succeed on attempt 3, via orders.retry)
  exhausted  orders with simulate.transientFailures = 99 (retries run out, end in orders.dlq)
  permanent  orders with simulate.permanentFailure = true (straight to orders.dlq)
  poison     a non-JSON value, an invalid order and a null value (straight to orders.dlq)
--count N sets the number of ok orders (default 5); the others come once each.
env: KAFKA_BROKERS (default: the broker that npm start runs)`;

const order = (orderId: string, extra: Partial<OrderInput> = {}): OrderInput => ({
  orderId,
  amount: Math.round(Math.random() * 10_000) / 100,
  currency: 'EUR',
  customerId: `c-${Math.floor(Math.random() * 1000)}`,
  items: [{ sku: 'sku-1', quantity: 1 }],
  ...extra,
});

const message = (key: string, value: Buffer | null): OutboundMessage => ({
  topic: getConfig().topics.orders,
  key: Buffer.from(key),
  value,
  headers: { 'content-type': Buffer.from('application/json') },
});

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { count: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const count = Number(values.count ?? 5);
  if (!Number.isInteger(count) || count < 0 || count > 100_000) throw new Error('--count must be 0..100000');
  process.env.KAFKA_BROKERS ??= (await brokerStatus()).state?.bootstrapServers ?? 'localhost:9092';
  const run = Date.now().toString(36);
  const messages: OutboundMessage[] = [];
  for (let i = 1; i <= count; i += 1) messages.push(message(`ok-${run}-${i}`, json(order(`ok-${run}-${i}`))));
  const transientId = `transient-${run}`;
  messages.push(message(transientId, json(order(transientId, { simulate: { transientFailures: 2 } }))));
  const exhaustedId = `exhausted-${run}`;
  messages.push(message(exhaustedId, json(order(exhaustedId, { simulate: { transientFailures: 99 } }))));
  const permanentId = `permanent-${run}`;
  messages.push(message(permanentId, json(order(permanentId, { simulate: { permanentFailure: true } }))));
  messages.push(message(`poison-text-${run}`, Buffer.from('this is not JSON')));
  messages.push(message(`poison-invalid-${run}`, json({ orderId: `poison-invalid-${run}`, amount: 'lots' })));
  messages.push(message(`poison-null-${run}`, null));
  await publishAll(getConfig(), messages);
  await closeProducer();
  process.stdout.write(
    `produced ${messages.length} records to ${getConfig().topics.orders} at ${process.env.KAFKA_BROKERS}: ${count} ok, 1 transient, 1 exhausted, 1 permanent, 3 poison\n`,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(`produce failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
