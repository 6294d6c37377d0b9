import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { repoRoot } from '../../infra/local/runner/serverless-functions.js';
import { readConfig } from '../../shared/adapters/config.js';
import { createKafkaOperatorPorts, type KafkaOperatorPorts } from '../../shared/adapters/operator-kafka.js';
import { scanTopic } from '../../shared/adapters/topic-scan.js';
import { RedriveHeader } from '../../shared/contract/headers.js';
import type { RedriveProgress } from '../../shared/contract/operator.js';
import type { OperatorPorts } from '../../shared/operator/ports.js';
import { createOperatorService } from '../../shared/operator/service.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { type Pipeline, startPipeline } from './helpers/pipeline.js';
import { SeedFailures, seedDlq } from './helpers/seed-dlq.js';
import { waitFor } from './helpers/wait-for.js';

const alice = { operator: { name: 'alice' } };

// The operator service against the real broker and the real consumers: each test seeds its own orders
// (a key prefix) into one pipeline's DLQ and checks the orders topic, where every redrive lands.
describe('operator service against the real broker', () => {
  const brokers = inject('kafkaBrokers');
  let pipeline: Pipeline;
  let kafka: Kafka;
  let admin: Admin;
  let ledgerTopic: string;
  let openPorts: KafkaOperatorPorts[] = [];

  const newPorts = async (): Promise<KafkaOperatorPorts> => {
    const ports = await createKafkaOperatorPorts(
      readConfig({
        KAFKA_BROKERS: brokers,
        TOPIC_ORDERS: pipeline.topics.orders,
        TOPIC_RETRY: pipeline.topics.retry,
        TOPIC_DLQ: pipeline.topics.dlq,
      }),
    );
    openPorts.push(ports);
    return ports;
  };

  /** How often each key with this prefix reached a topic. */
  const keysIn = async (topic: string, prefix: string): Promise<Map<string, number>> => {
    const keys = new Map<string, number>();
    await scanTopic(readConfig({ KAFKA_BROKERS: brokers }), { topic }, (record) => {
      const key = record.key?.toString('utf8') ?? '';
      if (key.startsWith(prefix)) keys.set(key, (keys.get(key) ?? 0) + 1);
    });
    return keys;
  };

  const processedWith = (prefix: string): Set<string> =>
    new Set(pipeline.processed.map((call) => call.orderId).filter((id) => id.startsWith(prefix)));

  beforeAll(async () => {
    pipeline = await startPipeline({ brokers });
    ledgerTopic = `${pipeline.topics.dlq}.redrives`;
    await ensureTopics(brokers, { topics: [ledgerTopic], partitions: 3, intakeTopics: [] });
    kafka = createTestKafka(brokers, { clientId: 'operator-service-test' });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(openPorts.map((ports) => ports.close()));
    openPorts = [];
    await admin?.deleteTopics({ topics: [ledgerTopic] }).catch(() => undefined);
    await admin?.disconnect();
    await pipeline?.stop();
  });

  it('lists with a true total and pages through every match once with the cursor', async () => {
    // Prepare
    await seedDlq(kafka, pipeline.topics, 450, { prefix: 'page' });
    const service = createOperatorService(await newPorts());
    const seen: string[] = [];

    // Act
    let cursor: string | undefined;
    let total = 0;
    do {
      const page = await service.list({
        filter: { text: 'page-' },
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      total = page.total;
      seen.push(...page.records.map((record) => record.key.text));
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    // Assess
    expect(total).toBe(450);
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
  });

  it('groups by fingerprint and redrives one group exactly once across a cancel, a resume and a repeat', async () => {
    // Prepare
    await seedDlq(kafka, pipeline.topics, 3_000, { prefix: 'group' });
    const service = createOperatorService(await newPorts());
    const filter = { text: 'group-' };
    const { groups } = await service.groups({ filter });
    const inventory = groups.find((group) => group.errorClass === SeedFailures[2].className);
    const cancel = new AbortController();
    const progress: RedriveProgress[] = [];

    // Act
    const first = await service.redrive(
      {
        selection: { kind: 'group', fingerprint: inventory?.fingerprint ?? '', filter },
        target: 'origin',
        ratePerSecond: 400,
      },
      {
        ...alice,
        signal: cancel.signal,
        onProgress: (update) => {
          progress.push(update);
          if (update.sent >= 400) cancel.abort();
        },
      },
    );
    const resumed = await service.redrive(
      {
        selection: { kind: 'group', fingerprint: inventory?.fingerprint ?? '', filter },
        target: 'origin',
        ratePerSecond: 5_000,
      },
      alice,
    );
    const repeated = await service.redrive(
      { selection: { kind: 'group', fingerprint: inventory?.fingerprint ?? '', filter }, target: 'origin' },
      alice,
    );

    // Assess
    expect(groups.map((group) => group.count)).toEqual([1_000, 1_000, 1_000]);
    expect(inventory?.template).toBe('stock reservation <id> failed: warehouse <n> unavailable');
    expect(first.cancelled).toBe(true);
    expect(first.sent).toBeGreaterThanOrEqual(400);
    expect(first.sent).toBeLessThan(1_000);
    expect(progress.some((update) => update.etaSeconds !== undefined && update.remaining !== undefined)).toBe(
      true,
    );
    expect(first.sent + resumed.sent).toBe(1_000);
    expect(repeated.sent).toBe(0);
    expect(repeated.alreadyRedriven).toBe(1_000);
    const keys = await keysIn(pipeline.topics.orders, 'group-');
    expect(keys.size).toBe(1_000);
    expect([...keys.values()].every((count) => count === 1)).toBe(true);
    await waitFor(() => processedWith('group-').size === 1_000, {
      timeoutMs: 60_000,
      description: 'the group to drain',
    });
    const after = await service.groups({ filter });
    expect(after.groups.find((group) => group.fingerprint === inventory?.fingerprint)?.redriven).toBe(1_000);
  });

  it.each([
    ['after the send, before the ledger records', 'after-send'],
    ['before the send', 'before-send'],
  ] as const)('completes a run that crashed %s with no duplicate and no gap', async (_name, when) => {
    // Prepare
    const prefix = `crash-${when}-`;
    await seedDlq(kafka, pipeline.topics, 1_200, { prefix: prefix.slice(0, -1) });
    const real = await newPorts();
    let publishes = 0;
    let crashNext = false;
    const crashing: OperatorPorts = {
      ...real,
      publish: async (messages) => {
        publishes += 1;
        if (publishes === 2 && when === 'before-send') throw new Error('killed before the send');
        await real.publish(messages);
        if (publishes === 2) crashNext = true;
      },
      writeLedger: async (runId, entries) => {
        if (crashNext) throw new Error('killed after the send');
        await real.writeLedger(runId, entries);
      },
    };
    const request = { selection: { kind: 'filter', filter: { text: prefix } }, target: 'origin' } as const;

    // Act
    await expect(createOperatorService(crashing, { chunkSize: 500 }).redrive(request, alice)).rejects.toThrow(
      /killed/,
    );
    const resumed = await createOperatorService(await newPorts(), { chunkSize: 500 }).redrive(request, alice);

    // Assess
    expect(resumed.recovered).toBe(when === 'after-send' ? 500 : 0);
    expect(resumed.sent).toBe(when === 'after-send' ? 200 : 700);
    const keys = await keysIn(pipeline.topics.orders, prefix);
    expect(keys.size).toBe(1_200);
    expect([...keys.values()].every((count) => count === 1)).toBe(true);
  });

  it('takes over from a writer of another host fenced mid-send, and does not send again what that writer sends late', async () => {
    // Prepare: writer A, on "another host", announces its first chunk and then stalls in the send until
    // B is waiting in recovery; its send lands while B waits, before B reads the target's tail.
    const prefix = 'takeover-';
    await seedDlq(kafka, pipeline.topics, 600, { prefix: prefix.slice(0, -1) });
    const request = { selection: { kind: 'filter', filter: { text: prefix } }, target: 'origin' } as const;
    const timing = { sendStartMs: 10_000, sendWindowMs: 4_000, clockSkewMs: 0 };
    const realA = await newPorts();
    let aSending: () => void = () => undefined;
    const aIsSending = new Promise<void>((resolve) => {
      aSending = resolve;
    });
    let bWaiting: () => void = () => undefined;
    const bIsWaiting = new Promise<void>((resolve) => {
      bWaiting = resolve;
    });
    let aLanded = 0;
    const writerA: OperatorPorts = {
      ...realA,
      holder: { space: 'another-host', pid: 1, instance: 'writer-a' },
      publish: async (messages) => {
        aSending();
        // Without B's wait (the bug this guards against) B never reports it; A then sends after 8 s.
        await Promise.race([bIsWaiting, new Promise((resolve) => setTimeout(resolve, 8_000))]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        await realA.publish(messages);
        aLanded = Date.now();
      },
    };
    const serviceA = createOperatorService(writerA, { chunkSize: 250, intentTiming: timing });
    const serviceB = createOperatorService(await newPorts(), { chunkSize: 250, intentTiming: timing });

    // Act
    const runA = serviceA.redrive(request, alice);
    const aFailed = expect(runA).rejects.toThrow();
    await aIsSending;
    let bScannedAt = 0;
    const runB = await serviceB.redrive(request, {
      operator: { name: 'bob' },
      onProgress: (progress: RedriveProgress) => {
        if (progress.phase === 'recovering') bWaiting();
        if (progress.phase === 'scanning' && bScannedAt === 0) bScannedAt = Date.now();
      },
    });
    await aFailed;

    // Assess: A's chunk landed during B's wait and B recorded it rather than sending it again.
    expect(aLanded).toBeGreaterThan(0);
    expect(aLanded).toBeLessThan(bScannedAt);
    expect(runB.recovered).toBe(250);
    expect(runB.sent).toBe(350);
    const keys = await keysIn(pipeline.topics.orders, prefix);
    expect(keys.size).toBe(600);
    expect([...keys.values()].filter((count) => count !== 1)).toEqual([]);
  });

  it('redrives again only when forced, as a new generation the history shows with the operator', async () => {
    // Prepare
    await seedDlq(kafka, pipeline.topics, 50, { prefix: 'force' });
    const service = createOperatorService(await newPorts());
    const request = { selection: { kind: 'filter', filter: { text: 'force-' } }, target: 'retry' } as const;
    const first = await service.redrive(request, alice);

    // Act
    const plain = await service.redrive(request, { operator: { name: 'bob' } });
    const forced = await service.redrive({ ...request, force: true }, { operator: { name: 'bob' } });
    const { runs } = await service.history();

    // Assess
    expect([first.sent, plain.sent, forced.sent]).toEqual([50, 0, 50]);
    expect(forced.generation).toBe(first.generation + 1);
    const keys = await keysIn(pipeline.topics.retry, 'force-');
    expect([...keys.values()].every((count) => count === 2)).toBe(true);
    const forcedRun = runs.find((run) => run.runId === forced.runId);
    expect(forcedRun).toMatchObject({ operator: 'bob', force: true, status: 'completed', count: 50 });
  });

  it('edits one record: rejects an invalid order before sending, then redrives the correction with audit headers', async () => {
    // Prepare
    await seedDlq(kafka, pipeline.topics, 1, { prefix: 'edit' });
    const service = createOperatorService(await newPorts());
    const [record] = (await service.list({ filter: { key: 'edit-000000' } })).records;
    const at = { partition: record?.partition ?? -1, offset: record?.offset ?? -1 };

    // Act
    const invalid = service.editAndRedrive(
      { record: at, value: { orderId: 'edit-000000', amount: 'ten' }, target: 'origin' },
      alice,
    );
    await expect(invalid).rejects.toThrow(/amount/);
    const result = await service.editAndRedrive(
      { record: at, value: { orderId: 'edit-000000', amount: 12.5 }, target: 'origin' },
      alice,
    );

    // Assess
    expect(result.sent).toBe(1);
    const sent: Array<{ value: string; edited: string | undefined; from: string | undefined }> = [];
    await scanTopic(readConfig({ KAFKA_BROKERS: brokers }), { topic: pipeline.topics.orders }, (copy) => {
      if (copy.key?.toString('utf8') !== 'edit-000000') return;
      sent.push({
        value: copy.value?.toString('utf8') ?? '',
        edited: copy.headers[RedriveHeader.edited]?.toString('utf8'),
        from: copy.headers['x-redriven-from']?.toString('utf8'),
      });
    });
    expect(sent).toEqual([
      {
        value: '{"orderId":"edit-000000","amount":12.5,"currency":"EUR"}',
        edited: 'true',
        from: `${pipeline.topics.dlq}:${at.partition}:${at.offset}`,
      },
    ]);
    const inspected = await service.inspect(at);
    expect(inspected.ledger).toMatchObject({ operator: 'alice', edited: true, generation: 1 });
    await waitFor(() => processedWith('edit-').size === 1, {
      timeoutMs: 30_000,
      description: 'the edit to be processed',
    });
  });

  it('lists the records of a Lambda on-failure envelope and redrives them to their topic with their keys', async () => {
    // Prepare
    const fixture = JSON.parse(
      readFileSync(path.join(repoRoot, 'test/events/lambda-on-failure-kafka.json'), 'utf8'),
    );
    const records = fixture.payload.records['orders.v1-0'] as Array<{ topic: string }>;
    for (const record of records) record.topic = pipeline.topics.orders;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: pipeline.topics.dlq,
      acks: -1,
      messages: [{ key: null, value: JSON.stringify(fixture) }],
    });
    await producer.disconnect();
    const service = createOperatorService(await newPorts());
    const [envelope] = (await service.list({ filter: { text: 'RetriesExhausted' } })).records;
    const at = { partition: envelope?.partition ?? -1, offset: envelope?.offset ?? -1 };

    // Act
    const view = await service.inspect(at);
    const result = await service.redrive(
      { selection: { kind: 'envelope', coordinate: at }, target: 'origin' },
      alice,
    );
    const repeat = await service.redrive(
      { selection: { kind: 'envelope', coordinate: at }, target: 'origin' },
      alice,
    );

    // Assess
    expect(view.envelope?.condition).toBe('RetriesExhausted');
    expect(view.envelope?.records.map((record) => record.key.text)).toEqual(['o-env-1', 'o-env-2']);
    expect([result.sent, repeat.sent]).toEqual([2, 0]);
    const keys = await keysIn(pipeline.topics.orders, 'o-env-');
    expect(Object.fromEntries(keys)).toEqual({ 'o-env-1': 1, 'o-env-2': 1 });
    await waitFor(() => processedWith('o-env-').size === 2, {
      timeoutMs: 30_000,
      description: 'the envelope records to be processed',
    });
  });

  it('charts the last hour of records into the topics and samples consumer lag from the broker', async () => {
    // Prepare
    const ports = await newPorts();
    const groupId = `orders-ui-lag-${pipeline.topics.orders}`;
    const service = createOperatorService(ports, { lagGroups: [{ groupId, topic: pipeline.topics.orders }] });
    const ordersTotal = Object.values(await ports.endOffsets(pipeline.topics.orders)).reduce(
      (a, b) => a + b,
      0,
    );
    const dlqTotal = Object.values(await ports.endOffsets(pipeline.topics.dlq)).reduce((a, b) => a + b, 0);

    // Act
    const rates = await service.rates();
    const first = await service.lag();
    const second = await service.lag();

    // Assess
    const sum = (counts: readonly number[] | undefined) => (counts ?? []).reduce((a, b) => a + b, 0);
    expect(rates.bucketMs).toBe(60_000);
    expect(rates.topics[pipeline.topics.orders]).toHaveLength(60);
    expect(sum(rates.topics[pipeline.topics.orders])).toBe(ordersTotal);
    expect(sum(rates.topics[pipeline.topics.dlq])).toBe(dlqTotal);
    expect(first.samples).toHaveLength(1);
    expect(second.samples.map((sample) => sample.lag)).toEqual([ordersTotal, ordersTotal]);
  });
});
