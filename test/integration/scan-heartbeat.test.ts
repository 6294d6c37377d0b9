import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { readConfig } from '../../shared/adapters/config.js';
import { scanTopic } from '../../shared/adapters/topic-scan.js';
import { OperatorGroupPrefix } from '../../shared/contract/topics.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { seedDlq } from './helpers/seed-dlq.js';
import { waitFor } from './helpers/wait-for.js';

const seeded = 2_000;
// The scan's consumer session (topic-scan.ts); the handler below waits longer than this.
const sessionTimeoutMs = 30_000;

// A redrive's handler can keep one record for long (a low rate, or a worker thread's batch behind it).
// The scan must keep its group membership meanwhile, and hand over every record once.
describe('a scan whose handler waits longer than the session timeout', () => {
  const brokers = inject('kafkaBrokers');
  const id = randomUUID().slice(0, 8);
  const topics = { orders: `scan-hb-${id}.v1`, retry: `scan-hb-${id}.retry`, dlq: `scan-hb-${id}.dlq` };
  const config = readConfig({ KAFKA_BROKERS: brokers, TOPIC_DLQ: topics.dlq });
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    await ensureTopics(brokers, { topics: Object.values(topics), partitions: 3, intakeTopics: [] });
    kafka = createTestKafka(brokers, { clientId: 'scan-heartbeat-test' });
    admin = kafka.admin();
    await admin.connect();
    await seedDlq(kafka, topics, seeded, { prefix: `hb-${id}` });
  }, 60_000);

  afterAll(async () => {
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.disconnect();
  });

  const scanGroups = async (): Promise<string[]> =>
    (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((groupId) => groupId.startsWith(`${OperatorGroupPrefix}scan-`));

  it('stays a member of its group through the wait, and hands over each record once', async () => {
    // Prepare
    const before = new Set(await scanGroups());
    const seen = new Map<string, number>();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;

    // Act: the 100th record's handler waits until the group has been checked
    const scan = scanTopic(config, { topic: topics.dlq }, (record) => {
      const coordinate = `${record.partition}:${record.offset}`;
      seen.set(coordinate, (seen.get(coordinate) ?? 0) + 1);
      if (seen.size !== 100 || holding) return undefined;
      holding = true;
      return held;
    });
    await waitFor(async () => holding, { timeoutMs: 30_000, description: 'the handler to hold a record' });
    const [groupId] = (await scanGroups()).filter((group) => !before.has(group));
    await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 5_000));
    const { groups } = await admin.describeGroups(groupId === undefined ? [] : [groupId]);
    release();
    const summary = await scan;

    // Assess
    expect(groupId).toBeDefined();
    expect(groups[0]).toMatchObject({ state: 'Stable' });
    expect(groups[0]?.members).toHaveLength(1);
    expect(summary.scanned).toBe(seeded);
    expect(seen.size).toBe(seeded);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  }, 120_000);
});
