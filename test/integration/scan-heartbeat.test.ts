import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AppConfig, readConfig } from '../../shared/adapters/config.js';
import { scanTopic } from '../../shared/adapters/topic-scan.js';
import { OperatorGroupPrefix } from '../../shared/contract/topics.js';
import { type FreshDlq, seedFreshDlq } from './helpers/seed-dlq.js';
import { waitFor } from './helpers/wait-for.js';

const seeded = 2_000;
// The scan's consumer session (topic-scan.ts); the handler below waits longer than this.
const sessionTimeoutMs = 30_000;

// A redrive's handler can keep one record for long (a low rate, or a worker thread's batch behind it).
// The scan must keep its group membership meanwhile, and hand over every record once.
describe('a scan whose handler waits longer than the session timeout', () => {
  const brokers = inject('kafkaBrokers');
  let dlq: FreshDlq;
  let config: AppConfig;

  beforeAll(async () => {
    dlq = await seedFreshDlq(brokers, 'scan-hb', seeded);
    config = readConfig({ KAFKA_BROKERS: brokers, TOPIC_DLQ: dlq.topics.dlq });
  }, 60_000);

  afterAll(async () => {
    await dlq?.remove();
  });

  const scanGroups = async (): Promise<string[]> =>
    (await dlq.admin.listGroups()).groups
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
    const scan = scanTopic(config, { topic: dlq.topics.dlq }, (record) => {
      const coordinate = `${record.partition}:${record.offset}`;
      seen.set(coordinate, (seen.get(coordinate) ?? 0) + 1);
      if (seen.size !== 100 || holding) return undefined;
      holding = true;
      return held;
    });
    await waitFor(async () => holding, { timeoutMs: 30_000, description: 'the handler to hold a record' });
    const [groupId] = (await scanGroups()).filter((group) => !before.has(group));
    await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 5_000));
    const { groups } = await dlq.admin.describeGroups(groupId === undefined ? [] : [groupId]);
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
