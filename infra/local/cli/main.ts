import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readConfig } from '../../../shared/adapters/config.js';
import {
  createKafkaOperatorPorts,
  type KafkaOperatorPorts,
} from '../../../shared/adapters/operator-kafka.js';
import { closeProducer, publishAll } from '../../../shared/adapters/producer.js';
import { closeTopicReaders, getTopicReader } from '../../../shared/adapters/topic-reader.js';
import { buildProduceMessage, parseProduceRequest } from '../../../shared/operator/produce.js';
import { RenderLimits, toMessageView } from '../../../shared/operator/render.js';
import { createOperatorService } from '../../../shared/operator/service.js';
import { topicRoleOf } from '../../../shared/ui-api/requests.js';
import { brokerStatus } from '../broker/index.js';
import * as dlq from './dlq.js';
import { formatMessage } from './format.js';

const usage = `usage: orders <command> [options]      (npm run orders -- <command>, or the "orders" bin)
  produce --id ID --amount N [--currency EUR] [--customer C] [--items sku:qty,...]
          [--transient N] [--permanent] [--fail-until-redriven]     an order, validated by the schema
  produce --raw [--key K] --value TEXT [--header name=value]... [--topic orders|retry]
                                                                    anything, e.g. poison
  tail <topic> [--limit N] [--follow]                               latest records of orders|retry|dlq
  dlq list [filters] [--limit N] [--cursor C] [--topic NAME]        matching DLQ records, true total
  dlq show P:O [--topic NAME]                                       one record in full (envelopes too)
  dlq groups [filters]                                              failures by fingerprint, with trend
  dlq redrive (--offset P:O... | --all [filters] | --group FP [filters] | --envelope P:O [--index I]...)
          [--to origin|retry] [--dry-run] [--force] [--rate N] [--topic NAME]
                                                                    exactly once (ledger), Ctrl-C cancels
  dlq edit P:O --value JSON [--to origin|retry] [--force]           correct one record, then redrive it
  dlq history [--limit N]                                           past redrives from the ledger
filters: --reason R  --error-class C  --text T  --key ORDER_ID  --origin-topic T  --fingerprint FP
         --since (minutes ago | ISO time)  --until (minutes ago | ISO time)
options: --json (machine-readable output), --operator NAME (default ORDERS_OPERATOR or your login),
         --window N (records tail reads per topic, default 5000)
env: KAFKA_BROKERS (default: the broker npm start runs), TOPIC_ORDERS, TOPIC_RETRY, TOPIC_DLQ, TOPIC_REDRIVES`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    window: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    id: { type: 'string' },
    amount: { type: 'string' },
    currency: { type: 'string' },
    customer: { type: 'string' },
    items: { type: 'string' },
    transient: { type: 'string' },
    permanent: { type: 'boolean' },
    'fail-until-redriven': { type: 'boolean' },
    raw: { type: 'boolean' },
    key: { type: 'string' },
    value: { type: 'string' },
    header: { type: 'string', multiple: true },
    topic: { type: 'string' },
    reason: { type: 'string' },
    text: { type: 'string' },
    'error-class': { type: 'string' },
    'origin-topic': { type: 'string' },
    fingerprint: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    cursor: { type: 'string' },
    offset: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    group: { type: 'string' },
    envelope: { type: 'string' },
    index: { type: 'string', multiple: true },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    rate: { type: 'string' },
    operator: { type: 'string' },
  },
});

const out = (human: string, json: unknown): void => {
  process.stdout.write(`${values.json ? JSON.stringify(json) : human}\n`);
};

const count = (text: string | undefined, fallback: number, name: string): number => {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
};

const config = async () => {
  process.env.KAFKA_BROKERS ??= (await brokerStatus()).state?.bootstrapServers ?? 'localhost:9092';
  return readConfig(process.env);
};

const reader = async (appConfig: Awaited<ReturnType<typeof config>>) => {
  const window = count(values.window, 5_000, 'window');
  const topicReader = await getTopicReader(appConfig, {
    maxRecords: window,
    maxBytes: 256 * 1024 * 1024,
    freshnessWaitMs: 15_000,
  });
  await topicReader.refresh();
  return topicReader;
};

const simulateKnobs = () => {
  const simulate = {
    ...(values.transient ? { transientFailures: Number(values.transient) } : {}),
    ...(values.permanent ? { permanentFailure: true } : {}),
    ...(values['fail-until-redriven'] ? { failUntilRedriven: true } : {}),
  };
  return Object.keys(simulate).length > 0 ? { simulate } : {};
};

const produce = async (): Promise<void> => {
  const appConfig = await config();
  const request = parseProduceRequest(
    values.raw
      ? {
          mode: 'raw',
          topic: values.topic ?? 'orders',
          key: values.key ?? null,
          value: values.value ?? null,
          headers: Object.fromEntries(
            (values.header ?? []).map((header) => {
              const at = header.indexOf('=');
              if (at <= 0) throw new Error(`--header ${header}: expected name=value`);
              return [header.slice(0, at), header.slice(at + 1)];
            }),
          ),
        }
      : {
          mode: 'form',
          order: {
            orderId: values.id ?? `cli-${Date.now().toString(36)}`,
            amount: Number(values.amount ?? Number.NaN),
            ...(values.currency ? { currency: values.currency } : {}),
            ...(values.customer ? { customerId: values.customer } : {}),
            ...(values.items
              ? {
                  items: values.items.split(',').map((item) => {
                    const [sku = '', quantity = '1'] = item.split(':');
                    return { sku: sku.trim(), quantity: Number(quantity) };
                  }),
                }
              : {}),
            ...simulateKnobs(),
          },
        },
  );
  const message = buildProduceMessage(request, appConfig.topics);
  await publishAll(appConfig, [message]);
  const key = message.key?.toString('utf8') ?? null;
  out(`produced key=${key ?? '(null)'} to ${message.topic}`, { produced: { topic: message.topic, key } });
};

const tail = async (topicArg: string | undefined): Promise<void> => {
  const appConfig = await config();
  const role = topicArg === undefined ? undefined : topicRoleOf(topicArg, appConfig.topics);
  if (role === undefined) throw new Error(`unknown topic ${topicArg ?? '(none)'}: use orders, retry or dlq`);
  const limit = count(values.limit, 20, 'limit');
  const topicReader = await reader(appConfig);
  const log = topicReader.log(role);
  const latest = log.all().slice(-limit).reverse();
  const views = latest.map((record) => toMessageView(record, RenderLimits.detailValueBytes));
  if (values.json) out('', views);
  else {
    process.stdout.write(`${appConfig.topics[role]}: ${views.length} of ${log.size} held, newest first\n`);
    for (const view of views) process.stdout.write(`${formatMessage(view)}\n`);
  }
  if (!values.follow) return;
  let cursor = log.positions();
  for (;;) {
    await delay(500);
    const fresh = log.after(cursor, 1_000).reverse();
    cursor = log.positions();
    for (const record of fresh) {
      const view = toMessageView(record, RenderLimits.detailValueBytes);
      process.stdout.write(`${values.json ? JSON.stringify(view) : formatMessage(view)}\n`);
    }
  }
};

// Ctrl-C cancels a redrive cleanly: the chunk in flight completes and is recorded, the run is marked
// cancelled in the ledger, and a re-run continues from there. A second Ctrl-C exits at once.
const cancel = new AbortController();
process.on('SIGINT', () => {
  if (cancel.signal.aborted) process.exit(130);
  process.stderr.write('\norders: cancelling after the chunk in flight (Ctrl-C again to quit now)\n');
  cancel.abort();
});

let ports: KafkaOperatorPorts | undefined;

const dlqCommand = async (sub: string | undefined, arg: string | undefined): Promise<void> => {
  const appConfig = await config();
  ports = await createKafkaOperatorPorts(appConfig);
  const service = createOperatorService(ports);
  const io = { out, stderr: process.stderr, signal: cancel.signal };
  if (sub === 'list') return dlq.list(service, values, io);
  if (sub === 'show') return dlq.show(service, arg, values, io);
  if (sub === 'groups') return dlq.groups(service, values, io);
  if (sub === 'history') return dlq.history(service, values, io);
  if (sub === 'edit') {
    await dlq.edit(service, arg, values, io);
    return;
  }
  if (sub === 'redrive') {
    const result = await dlq.redrive(service, values, io);
    if (result.cancelled) process.exitCode = 130;
    return;
  }
  throw new Error(`unknown command: dlq ${sub ?? ''}\n${usage}`);
};

const main = async (): Promise<void> => {
  const [command, sub, arg] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (command === 'produce') return produce();
  if (command === 'tail') return tail(sub);
  if (command === 'dlq') return dlqCommand(sub, arg);
  throw new Error(`unknown command: ${[command, sub, arg].filter(Boolean).join(' ')}\n${usage}`);
};

const closeAll = () => Promise.allSettled([closeTopicReaders(), closeProducer(), ports?.close()]);

main()
  .then(async () => {
    await closeAll();
    process.exit(process.exitCode ?? 0);
  })
  .catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`orders: ${message}${error instanceof dlq.UsageError ? `\n${usage}` : ''}\n`);
    await closeAll();
    process.exit(1);
  });
