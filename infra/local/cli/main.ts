import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readConfig } from '../../../shared/adapters/config.js';
import { closeProducer, publishAll } from '../../../shared/adapters/producer.js';
import { buildProduceMessage, planRedrive, selectForRedrive } from '../../../shared/ui-api/operations.js';
import { RenderLimits, toMessageView } from '../../../shared/ui-api/render.js';
import { parseProduce, parseRedrive, topicRoleOf } from '../../../shared/ui-api/requests.js';
import { closeTopicReaders, getTopicReader } from '../../../shared/ui-api/topic-reader.js';
import { brokerStatus } from '../broker/index.js';
import { formatMessage } from './format.js';

const usage = `usage: orders <command> [options]      (npm run orders -- <command>, or the "orders" bin)
  produce --id ID --amount N [--currency EUR] [--customer C] [--items sku:qty,...]
          [--transient N] [--permanent] [--fail-until-redriven]     an order, validated by the schema
  produce --raw [--key K] --value TEXT [--header name=value]... [--topic orders|retry]
                                                                    anything, e.g. poison
  tail <topic> [--limit N] [--follow]                               latest records of orders|retry|dlq
  dlq list [--reason R] [--text T] [--limit N]                      dead-lettered records, newest first
  dlq redrive (--offset P:O... | --all [--reason R] [--text T]) [--to origin|retry] [--dry-run]
options: --json (machine-readable output), --window N (records read per topic, default 5000)
env: KAFKA_BROKERS (default: the broker npm start runs), TOPIC_ORDERS, TOPIC_RETRY, TOPIC_DLQ`;

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
    offset: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
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
  const request = parseProduce(
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

const tail = async (
  topicArg: string | undefined,
  filter?: { reason?: string; text?: string },
): Promise<void> => {
  const appConfig = await config();
  const role = topicArg === undefined ? undefined : topicRoleOf(topicArg, appConfig.topics);
  if (role === undefined) throw new Error(`unknown topic ${topicArg ?? '(none)'}: use orders, retry or dlq`);
  const limit = count(values.limit, 20, 'limit');
  const topicReader = await reader(appConfig);
  const log = topicReader.log(role);
  const matching = filter
    ? selectForRedrive(log, { all: true, filter }, appConfig.topics.dlq).selected
    : log.all();
  const latest = matching.slice(-limit).reverse();
  const views = latest.map((record) => toMessageView(record, RenderLimits.detailValueBytes));
  if (values.json) out('', views);
  else {
    process.stdout.write(
      `${appConfig.topics[role]}: ${views.length} of ${matching.length} held, newest first\n`,
    );
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

const redrive = async (): Promise<void> => {
  const appConfig = await config();
  const filter = {
    ...(values.reason ? { reason: values.reason } : {}),
    ...(values.text ? { text: values.text } : {}),
  };
  const request = parseRedrive({
    target: values.to ?? 'origin',
    dryRun: values['dry-run'] ?? false,
    ...(values.all ? { all: true, filter } : {}),
    ...(values.offset
      ? {
          records: values.offset.map((coordinate) => {
            const match = /^(\d+):(\d+)$/.exec(coordinate);
            if (!match) throw new Error(`--offset ${coordinate}: expected partition:offset, e.g. 0:15`);
            return { partition: Number(match[1]), offset: Number(match[2]) };
          }),
        }
      : {}),
  });
  const topicReader = await reader(appConfig);
  const { selected, missing } = selectForRedrive(topicReader.log('dlq'), request, appConfig.topics.dlq);
  const plan = planRedrive(selected, request.target, appConfig.topics, Date.now());
  if (!request.dryRun) await publishAll(appConfig, plan.messages);
  const skipped = [...missing, ...plan.skipped];
  const lines = [
    `${request.dryRun ? 'dry run: would redrive' : 'redrove'} ${plan.planned.length} record(s)`,
    ...plan.planned.map((entry) => `  ${entry.from} -> ${entry.to}  key=${entry.key ?? '(null)'}`),
    ...(skipped.length > 0
      ? [`skipped ${skipped.length}:`, ...skipped.map((entry) => `  ${entry.from}: ${entry.reason}`)]
      : []),
  ];
  out(lines.join('\n'), {
    dryRun: request.dryRun,
    published: request.dryRun ? 0 : plan.messages.length,
    planned: plan.planned,
    skipped,
  });
};

const main = async (): Promise<void> => {
  const [command, sub, arg] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (command === 'produce') return produce();
  if (command === 'tail') return tail(sub);
  if (command === 'dlq' && sub === 'list') {
    return tail('dlq', {
      ...(values.reason ? { reason: values.reason } : {}),
      ...(values.text ? { text: values.text } : {}),
    });
  }
  if (command === 'dlq' && sub === 'redrive') return redrive();
  throw new Error(`unknown command: ${[command, sub, arg].filter(Boolean).join(' ')}\n${usage}`);
};

main()
  .then(async () => {
    await Promise.all([closeTopicReaders(), closeProducer()]);
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`orders: ${error instanceof Error ? error.message : String(error)}\n`);
    await Promise.allSettled([closeTopicReaders(), closeProducer()]);
    process.exit(1);
  });
