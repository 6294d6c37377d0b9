import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { readConfig } from '../../shared/adapters/config.js';
import { scanTopic } from '../../shared/adapters/topic-scan.js';
import { RedriveHeader } from '../../shared/contract/headers.js';
import type { FailureGroup, RedriveResult } from '../../shared/contract/operator.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { lastJson, runOrdersCli } from './helpers/orders-cli.js';
import { type Pipeline, startPipeline } from './helpers/pipeline.js';
import { SeedFailures, seedDlq, seedOrderId } from './helpers/seed-dlq.js';
import { waitFor } from './helpers/wait-for.js';

const records = 30_000;

// The incident of issue 7 at its real size: 30,000 orders in the DLQ, a bulk CLI redrive SIGKILLed
// part-way, resumed, then repeated. The orders topic is the proof: each DLQ record must reach it once.
describe('orders dlq redrive at scale, killed and resumed', () => {
  const brokers = inject('kafkaBrokers');
  let pipeline: Pipeline;
  let kafka: Kafka;
  let admin: Admin;
  let ledgerTopic: string;

  const world = () => ({ brokers, topics: pipeline.topics, env: { ORDERS_OPERATOR: 'alice' } });
  const endTotal = async (topic: string): Promise<number> =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);

  beforeAll(async () => {
    pipeline = await startPipeline({ brokers });
    ledgerTopic = `${pipeline.topics.dlq}.redrives`;
    await ensureTopics(brokers, { topics: [ledgerTopic], partitions: 3, intakeTopics: [] });
    kafka = createTestKafka(brokers, { clientId: 'redrive-cli-scale' });
    admin = kafka.admin();
    await admin.connect();
    await seedDlq(kafka, pipeline.topics, records, { prefix: 'scale' });
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [ledgerTopic] }).catch(() => undefined);
    await admin?.disconnect();
    await pipeline?.stop();
  });

  it('re-publishes each of 30,000 records exactly once across a SIGKILL and a resume, and nothing on a repeat', async () => {
    // Prepare
    const args = ['dlq', 'redrive', '--all', '--to', 'origin', '--rate', '4000', '--json'];

    // Act: kill the first run once part of the DLQ went out
    const first = runOrdersCli(args, world());
    await waitFor(async () => (await endTotal(pipeline.topics.orders)) >= 6_000, {
      timeoutMs: 90_000,
      description: 'the first run to re-publish 6,000 records',
    });
    first.child.kill('SIGKILL');
    const killed = await first.done;
    const sentBeforeKill = await endTotal(pipeline.topics.orders);
    const resumed = await runOrdersCli(args, world()).done;
    const afterResume = await endTotal(pipeline.topics.orders);
    const repeated = await runOrdersCli(args, world()).done;
    const afterRepeat = await endTotal(pipeline.topics.orders);

    // Assess: the kill landed part-way, the resume sent exactly the rest, the repeat nothing
    expect(killed.signal).toBe('SIGKILL');
    expect(sentBeforeKill).toBeLessThan(records);
    expect(resumed.code, resumed.stderr).toBe(0);
    const resume = lastJson<RedriveResult>(resumed.stdout);
    expect(afterResume).toBe(records);
    // Records a killed chunk had sent are recovered into the ledger, then left out like any redriven one.
    expect(resume.sent + resume.alreadyRedriven).toBe(records);
    expect(resume.recovered).toBeLessThanOrEqual(resume.alreadyRedriven);
    expect(repeated.code, repeated.stderr).toBe(0);
    const repeat = lastJson<RedriveResult>(repeated.stdout);
    expect(repeat.sent).toBe(0);
    expect(repeat.alreadyRedriven).toBe(records);
    expect(afterRepeat).toBe(records);

    // Assess: every order is in the orders topic once, redriven by alice
    const keys = new Map<string, number>();
    const operators = new Set<string>();
    await scanTopic(readConfig({ KAFKA_BROKERS: brokers }), { topic: pipeline.topics.orders }, (record) => {
      const key = record.key?.toString('utf8') ?? '';
      keys.set(key, (keys.get(key) ?? 0) + 1);
      operators.add(record.headers[RedriveHeader.operator]?.toString('utf8') ?? '');
    });
    expect(keys.size).toBe(records);
    expect([...keys.values()].every((count) => count === 1)).toBe(true);
    expect([...operators]).toEqual(['alice']);

    // Assess: the real consumers processed every order
    await waitFor(() => new Set(pipeline.processed.map((call) => call.orderId)).size === records, {
      timeoutMs: 120_000,
      description: 'all 30,000 redriven orders to be processed',
    });
  }, 300_000);

  // A group's redrive scans the whole DLQ on a worker thread and sends only the group's records: the same
  // guarantee must hold there. Run after the bulk redrive above, so it is forced: a second generation.
  it('re-publishes one group once more with --force across a SIGKILL and a resume, and nothing else', async () => {
    // Prepare
    const grouped = await runOrdersCli(['dlq', 'groups', '--json'], world()).done;
    const { groups } = lastJson<{ groups: FailureGroup[] }>(grouped.stdout);
    const group = groups.find((candidate) => candidate.errorClass === SeedFailures[1].className);
    if (group === undefined) throw new Error(`no ${SeedFailures[1].className} group in ${grouped.stdout}`);
    const before = await endTotal(pipeline.topics.orders);
    const args = [
      'dlq',
      'redrive',
      '--group',
      group.fingerprint,
      '--force',
      '--to',
      'origin',
      '--rate',
      '3000',
      '--json',
    ];

    // Act
    const first = runOrdersCli(args, world());
    await waitFor(async () => (await endTotal(pipeline.topics.orders)) >= before + 2_000, {
      timeoutMs: 90_000,
      description: 'the forced group run to re-publish 2,000 records',
    });
    first.child.kill('SIGKILL');
    const killed = await first.done;
    const sentBeforeKill = (await endTotal(pipeline.topics.orders)) - before;
    const resumed = await runOrdersCli(args, world()).done;

    // Assess: the group went out once more in all, and only the group
    expect(killed.signal).toBe('SIGKILL');
    expect(sentBeforeKill).toBeLessThan(group.count);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await endTotal(pipeline.topics.orders)) - before).toBe(group.count);
    const generations = new Map<string, number>();
    await scanTopic(readConfig({ KAFKA_BROKERS: brokers }), { topic: pipeline.topics.orders }, (record) => {
      if (record.headers[RedriveHeader.generation]?.toString('utf8') !== '2') return;
      const key = record.key?.toString('utf8') ?? '';
      generations.set(key, (generations.get(key) ?? 0) + 1);
    });
    expect(generations.size).toBe(group.count);
    expect([...generations.values()].every((count) => count === 1)).toBe(true);
    const inGroup = new Set(
      Array.from({ length: records }, (_, index) => index)
        .filter((index) => index % SeedFailures.length === 1)
        .map((index) => seedOrderId('scale', index)),
    );
    expect([...generations.keys()].every((key) => inGroup.has(key))).toBe(true);
  }, 300_000);
});
