import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { RedriveHeader } from '../../shared/contract/headers.js';
import type { GroupsResponse, ListResponse } from '../../shared/contract/operator.js';
import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { dlqMessages } from './helpers/dlq-records.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { type Pipeline, startPipeline } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';
import { startUiFor, uiClient } from './helpers/ui-client.js';
import { waitFor } from './helpers/wait-for.js';

const token = 'integration-token';
// Named operators as the secret store keeps them; the legacy token above signs in as `operator`.
const operatorTokens = `alice:alice-integration-token,operator:${token}`;

type Api = ReturnType<typeof uiClient>;

/** Follows a redrive job the way the browser does, until it ends. */
const followJob = async (api: Api, job: RedriveJobView, until?: (job: RedriveJobView) => boolean) => {
  let current = job;
  const deadline = Date.now() + 90_000;
  while (current.state === 'running' && !until?.(current)) {
    if (Date.now() > deadline) throw new Error(`redrive job ${job.id} still running after 90 s`);
    current = (await api.call('GET', `/api/dlq/redrives/${job.id}?waitMs=1000`))
      .body as unknown as RedriveJobView;
  }
  return current;
};

describe('UI API against the real broker', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;
  /** What was started, stopped in reverse even when a later start threw. */
  const started: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    started.push(() => pipeline.stop());
    started.push(() => closeTopicReaders());
    ui = await startUiFor(pipeline, operatorTokens);
    started.push(() => ui.stop());
  });

  afterEach(async () => {
    const errors: unknown[] = [];
    for (const stop of started.splice(0).reverse()) {
      await stop().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  });

  it('refuses the API without a session and produces nothing on a rejected request', async () => {
    // Prepare
    const api = uiClient(ui);

    // Act
    const anonymous = await api.call('GET', '/api/messages');
    const anonymousProduce = await api.call('POST', '/api/produce', { mode: 'raw', value: 'x' });
    await api.login(token);
    const invalid = await api.call('POST', '/api/produce', {
      mode: 'form',
      order: { orderId: 'bad id', amount: -1 },
    });
    const page = await api.page();

    // Assess
    expect(anonymous.status).toBe(401);
    expect(anonymousProduce.status).toBe(401);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/^invalid order/);
    expect(Object.values(page.topics.orders.end).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('answers an oversize body with 413 and its size, and throttles repeated failed sign-ins with 429', async () => {
    // Prepare
    const api = uiClient(ui);
    const huge = { token: 'x'.repeat(300 * 1024) };

    // Act
    const oversize = await api.call('POST', '/api/login', huge);
    const failures = [];
    for (let i = 0; i < 5; i += 1)
      failures.push((await api.call('POST', '/api/login', { token: `guess-${i}` })).status);
    const blocked = await api.login(token);

    // Assess
    expect(oversize.status).toBe(413);
    expect(oversize.body.error).toMatch(/^request body is \d+ bytes; the limit is 262144 bytes \(256 KiB\)$/);
    expect(failures).toEqual([401, 401, 401, 401, 429]);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('300');
    expect(blocked.headers.get('set-cookie')).toBeNull();
  });

  it('shows a dead-lettered order with its error, and a redrive that then succeeds', async () => {
    // Prepare
    const api = uiClient(ui);
    await api.login(token);

    // Act
    const produced = await api.call('POST', '/api/produce', {
      mode: 'form',
      order: { orderId: 'ui-redrive-1', amount: 12, simulate: { failUntilRedriven: true } },
    });
    const dead = await waitFor(
      async () => (await api.page()).topics.dlq.messages.find((m) => m.key.text === 'ui-redrive-1'),
      { timeoutMs: 20_000, description: 'the order in the DLQ list' },
    );
    const dryRun = await api.call('POST', '/api/redrive', {
      target: 'origin',
      dryRun: true,
      records: [{ partition: dead.partition, offset: dead.offset }],
    });
    const before = await api.page();
    const redrive = await api.call('POST', '/api/redrive', {
      target: 'origin',
      records: [{ partition: dead.partition, offset: dead.offset }],
    });
    await waitFor(() => pipeline.processed.some((call) => call.orderId === 'ui-redrive-1'), {
      timeoutMs: 20_000,
      description: 'the redriven order processed',
    });
    const redriven = await waitFor(
      async () => (await api.page()).topics.orders.messages.find((m) => m.failure?.redrive !== undefined),
      { timeoutMs: 10_000, description: 'the redriven record in orders' },
    );
    const again = await api.call('POST', '/api/redrive', { target: 'origin', all: true });
    const forced = await api.call('POST', '/api/redrive', {
      target: 'origin',
      dryRun: true,
      force: true,
      records: [{ partition: dead.partition, offset: dead.offset }],
    });

    // Assess
    expect(produced.status).toBe(200);
    expect(dead.failure).toMatchObject({ reason: 'permanent-failure', attempt: 1 });
    expect(dead.failure?.errorMessage).toContain('simulate.failUntilRedriven');
    expect(dryRun.body).toMatchObject({ dryRun: true, sent: 0, matched: 1 });
    expect(Object.values(before.topics.orders.end).reduce((a, b) => a + b, 0)).toBe(1);
    expect(redrive.body).toMatchObject({ dryRun: false, sent: 1, matched: 1, generation: 1 });
    expect(again.body).toMatchObject({ dryRun: false, sent: 0, matched: 1, alreadyRedriven: 1, planned: [] });
    expect(forced.body).toMatchObject({
      dryRun: true,
      alreadyRedriven: 0,
      planned: [
        { from: `${pipeline.topics.dlq}:${dead.partition}:${dead.offset}`, to: pipeline.topics.orders },
      ],
    });
    expect(redriven.failure).toMatchObject({
      attempt: 0,
      redrive: { count: 1, from: `${pipeline.topics.dlq}:${dead.partition}:${dead.offset}` },
    });
  });

  it('returns only new messages after a cursor, renders poison as text or hex, and repeats nothing on later polls', async () => {
    // Prepare
    const api = uiClient(ui);
    await api.login(token);
    const first = await api.page();

    // Act
    await api.call('POST', '/api/produce', {
      mode: 'raw',
      key: 'poison-1',
      value: '<script>alert(1)</script>',
    });
    await api.call('POST', '/api/produce', {
      mode: 'raw',
      key: 'poison-2',
      value: 'ff00fe',
      valueEncoding: 'hex',
    });
    const next = await waitFor(
      async () => {
        const page = await api.page(first.cursor);
        return page.topics.orders.messages.length === 2 && page;
      },
      { timeoutMs: 10_000, description: 'two new orders after the cursor' },
    );
    const after = await api.page(next.cursor);
    const repeated = await api.page(after.cursor);
    const stats = await api.call('GET', '/api/stats');

    // Assess
    // Sorted by key: the two records may share a millisecond on different partitions, so "newest first"
    // cannot order them.
    const rendered = next.topics.orders.messages.map((m) => [m.key.text, m.value.encoding, m.value.text]);
    expect(rendered.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['poison-1', 'text', '<script>alert(1)</script>'],
      ['poison-2', 'hex', 'ff 00 fe'],
    ]);
    expect(after.topics.orders.messages).toEqual([]);
    expect(repeated.topics.orders.messages).toEqual([]);
    const groups = stats.body.groups as Array<{ groupId: string; topic: string; lag: number }>;
    expect(groups.map((group) => group.topic)).toEqual([pipeline.topics.orders, pipeline.topics.retry]);
    await waitFor(
      async () =>
        ((await api.call('GET', '/api/stats')).body.groups as Array<{ lag: number }>).every(
          (g) => g.lag === 0,
        ),
      { timeoutMs: 15_000, description: 'the consumers to catch up (lag 0)' },
    );
  });

  it('redrives two groups of 3,000 DLQ records exactly once through the API, with a cancel and a resume, and every order ends processed', async () => {
    // Prepare
    const api = uiClient(ui);
    await api.login('alice-integration-token');
    await pipeline.produce(
      dlqMessages(pipeline, {
        prefix: 'pay',
        count: 2_000,
        errorMessage: (i) => `order pay-${i} rejected by the payment gateway: card ${4000 + i} declined`,
      }),
      pipeline.topics.dlq,
    );
    await pipeline.produce(
      dlqMessages(pipeline, {
        prefix: 'stock',
        count: 1_000,
        errorMessage: (i) => `warehouse "W-${i % 7}" has no stock for sku-${i}`,
      }),
      pipeline.topics.dlq,
    );

    // Act: triage
    const groups = (await api.call('GET', '/api/dlq/groups')).body as unknown as GroupsResponse;
    const [payments, stock] = groups.groups;
    const firstPage = (await api.call('GET', `/api/dlq/groups/${payments?.fingerprint}/records?limit=50`))
      .body as unknown as ListResponse;

    // Act: redrive the payments group, then the same again
    const started = await api.call('POST', '/api/dlq/redrives', {
      selection: { kind: 'group', fingerprint: payments?.fingerprint },
      target: 'origin',
    });
    const first = await followJob(api, started.body as unknown as RedriveJobView);
    const repeat = await followJob(
      api,
      (
        await api.call('POST', '/api/dlq/redrives', {
          selection: { kind: 'group', fingerprint: payments?.fingerprint },
          target: 'origin',
        })
      ).body as unknown as RedriveJobView,
    );

    // Act: start the stock group slowly, cancel it part-way, then run it again to completion
    const slow = (
      await api.call('POST', '/api/dlq/redrives', {
        selection: { kind: 'group', fingerprint: stock?.fingerprint },
        target: 'origin',
        ratePerSecond: 200,
      })
    ).body as unknown as RedriveJobView;
    await followJob(api, slow, (job) => (job.progress?.sent ?? 0) >= 200);
    await api.call('POST', `/api/dlq/redrives/${slow.id}/cancel`, {});
    const cancelled = await followJob(api, slow);
    const resumed = await followJob(
      api,
      (
        await api.call('POST', '/api/dlq/redrives', {
          selection: { kind: 'group', fingerprint: stock?.fingerprint },
          target: 'origin',
        })
      ).body as unknown as RedriveJobView,
    );
    const history = (await api.call('GET', '/api/dlq/history')).body as {
      runs: Array<{ operator: string; count: number; status: string }>;
    };

    // Assess: triage saw true totals and two fingerprints
    expect(groups.total).toBe(3_000);
    expect(groups.groups.map((group) => group.count)).toEqual([2_000, 1_000]);
    expect(firstPage).toMatchObject({ total: 2_000 });
    expect(firstPage.records).toHaveLength(50);
    expect(firstPage.nextCursor).toBeDefined();

    // Assess: exactly once per DLQ record, nothing on a repeat, no gap after the cancel
    expect(first).toMatchObject({
      state: 'done',
      operator: 'alice',
      result: { sent: 2_000, matched: 2_000 },
    });
    expect(repeat).toMatchObject({ state: 'done', result: { sent: 0, alreadyRedriven: 2_000 } });
    expect(cancelled.state).toBe('cancelled');
    const cancelledSent = cancelled.result?.sent ?? 0;
    expect(cancelledSent).toBeGreaterThan(0);
    expect(cancelledSent).toBeLessThan(1_000);
    expect(resumed.result).toMatchObject({ sent: 1_000 - cancelledSent, alreadyRedriven: cancelledSent });
    const republished = await readTopic(createTestKafka(pipeline.config.brokers.join(','), { quiet: true }), {
      topic: pipeline.topics.orders,
      count: 3_000,
      timeoutMs: 30_000,
    });
    const from = republished.map((message) => String(message.headers?.[FailureHeader.redrivenFrom]));
    expect(republished).toHaveLength(3_000);
    expect(new Set(from).size).toBe(3_000);
    expect(new Set(republished.map((message) => String(message.headers?.[RedriveHeader.operator])))).toEqual(
      new Set(['alice']),
    );
    expect(
      history.runs
        .filter((run) => run.operator === 'alice')
        .map((run) => run.count)
        .sort((a, b) => a - b),
    ).toEqual([0, 1_000 - cancelledSent, cancelledSent, 2_000].sort((a, b) => a - b));

    // Assess: every redriven order is processed
    await waitFor(() => new Set(pipeline.processed.map((call) => call.orderId)).size >= 3_000, {
      timeoutMs: 60_000,
      description: 'all 3,000 redriven orders processed',
    });
    const processed = new Set(pipeline.processed.map((call) => call.orderId));
    expect([...processed].filter((id) => id.startsWith('pay-'))).toHaveLength(2_000);
    expect([...processed].filter((id) => id.startsWith('stock-'))).toHaveLength(1_000);
  });
});
