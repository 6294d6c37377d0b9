import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import type {
  FailureGroup,
  HistoryResponse,
  ListResponse,
  RedriveResult,
} from '../../shared/contract/operator.js';
import type { Topics } from '../../shared/domain/topics.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { lastJson, runOrdersCli } from './helpers/orders-cli.js';
import { SeedFailures, seedDlq } from './helpers/seed-dlq.js';
import { waitFor } from './helpers/wait-for.js';

// The `orders` CLI as a user runs it: a spawned process against the real broker, in its own topics.
describe('orders CLI', () => {
  const brokers = inject('kafkaBrokers');
  const id = randomUUID().slice(0, 8);
  const topics: Topics = { orders: `cli-${id}.v1`, retry: `cli-${id}.retry`, dlq: `cli-${id}.dlq` };
  const ledgerTopic = `${topics.dlq}.redrives`;
  let kafka: Kafka;
  let admin: Admin;

  const cli = async (...args: string[]) =>
    runOrdersCli(args, { brokers, topics, env: { ORDERS_OPERATOR: 'carol' } }).done;
  const endTotal = async (topic: string): Promise<number> =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);

  beforeAll(async () => {
    await ensureTopics(brokers, {
      topics: [...Object.values(topics), ledgerTopic],
      partitions: 3,
      intakeTopics: [topics.orders],
    });
    kafka = createTestKafka(brokers, { clientId: 'orders-cli-test' });
    admin = kafka.admin();
    await admin.connect();
    await seedDlq(kafka, topics, 3_000, { prefix: 'cli' });
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [...Object.values(topics), ledgerTopic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('lists the matching records with the true total and a cursor for the next page', async () => {
    // Act
    const run = await cli('dlq', 'list', '--reason', 'permanent-failure', '--limit', '5', '--json');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const page = lastJson<ListResponse>(run.stdout);
    expect(page.total).toBe(1_000);
    expect(page.scanned).toBe(3_000);
    expect(page.records).toHaveLength(5);
    expect(page.nextCursor).toBeDefined();
  });

  it('prints the groups with their counts', async () => {
    // Act
    const human = await cli('dlq', 'groups');
    const json = await cli('dlq', 'groups', '--json');

    // Assess
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('3 group(s), 3000 record(s)');
    const { groups } = lastJson<{ groups: FailureGroup[] }>(json.stdout);
    expect(groups.map((group) => group.count)).toEqual([1_000, 1_000, 1_000]);
    expect(groups.map((group) => group.errorClass).sort()).toEqual(
      SeedFailures.map((failure) => failure.className).sort(),
    );
  });

  it('keeps the old flags: a dry run of --all --reason --to retry sends nothing and says what it would', async () => {
    // Act
    const run = await cli(
      'dlq',
      'redrive',
      '--all',
      '--reason',
      'permanent-failure',
      '--to',
      'retry',
      '--dry-run',
      '--json',
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = lastJson<RedriveResult & { published: number }>(run.stdout);
    expect(result).toMatchObject({ dryRun: true, published: 0, sent: 0, matched: 1_000 });
    expect(result.planned).toHaveLength(1_000);
    expect(result.planned[0]?.to).toBe(topics.retry);
    expect(await endTotal(topics.retry)).toBe(0);
    // The progress line a dry run ends with says what it would have sent, not "0/? sent".
    const lastLine = run.stderr.trim().split(/\r|\n/).at(-1) ?? '';
    expect(lastLine).toMatch(/^done\s+would send 1000\s+scanned \d+/);
    expect(run.stderr).not.toContain('0/? sent');
  });

  it('redrives named records once, and says so when run again', async () => {
    // Act
    const first = await cli('dlq', 'redrive', '--offset', '0:0', '--offset', '1:0', '--to', 'retry');
    const again = await cli('dlq', 'redrive', '--offset', '0:0', '--offset', '1:0', '--to', 'retry');

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('redrove 2 record(s)');
    expect(again.stdout).toContain('redrove 0 record(s)');
    expect(again.stdout).toContain('left out 2 already redriven');
    expect(await endTotal(topics.retry)).toBe(2);
  });

  it('cancels cleanly on Ctrl-C, records the cancel, and a re-run sends the rest', async () => {
    // Prepare
    const args = [
      'dlq',
      'redrive',
      '--all',
      '--reason',
      'attempts-exhausted',
      '--to',
      'origin',
      '--rate',
      '200',
      '--json',
    ];
    const running = runOrdersCli(args, { brokers, topics, env: { ORDERS_OPERATOR: 'carol' } });
    await waitFor(async () => (await endTotal(topics.orders)) >= 200, {
      timeoutMs: 60_000,
      description: 'a first chunk',
    });

    // Act
    running.child.kill('SIGINT');
    const cancelled = await running.done;
    const rest = await cli(...args.slice(0, -3), '--rate', '5000', '--json');
    const history = lastJson<HistoryResponse>((await cli('dlq', 'history', '--json')).stdout);

    // Assess
    expect(cancelled.code, cancelled.stderr).toBe(130);
    const partial = lastJson<RedriveResult>(cancelled.stdout);
    expect(partial.cancelled).toBe(true);
    expect(partial.sent).toBeLessThan(2_000);
    expect(lastJson<RedriveResult>(rest.stdout).sent).toBe(2_000 - partial.sent);
    expect(await endTotal(topics.orders)).toBe(2_000);
    expect(history.runs.find((run) => run.runId === partial.runId)).toMatchObject({
      status: 'cancelled',
      operator: 'carol',
    });
  });

  it('shows the progress bar with the count and ETA on stderr', async () => {
    // Act
    const run = await cli('dlq', 'redrive', '--all', '--to', 'retry', '--force', '--rate', '2000');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[[#.]+\]\s+\d+\/\d+ sent\s+\d+%.*ETA/);
    expect(run.stdout).toContain('redrove 3000 record(s)');
  });

  it('refuses bad input with a clear message and exit code 1', async () => {
    // Act
    const runs = await Promise.all([
      cli('dlq', 'redrive', '--to', 'origin'),
      cli('dlq', 'redrive', '--all', '--to', 'elsewhere'),
      cli('dlq', 'edit', '0:1', '--value', '{"orderId":"cli-000001","amount":"ten"}'),
    ]);

    // Assess
    expect(runs.map((run) => run.code)).toEqual([1, 1, 1]);
    expect(runs[0]?.stderr).toContain('needs exactly one of --offset');
    expect(runs[1]?.stderr).toContain('target');
    expect(runs[2]?.stderr).toContain('amount');
  });
});
