import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { type Pipeline, startPipeline } from './helpers/pipeline.js';
import { startUiFor, uiClient } from './helpers/ui-client.js';
import { waitFor } from './helpers/wait-for.js';

const token = 'integration-token';

describe('UI API against the real broker', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;
  /** What was started, stopped in reverse even when a later start threw. */
  const started: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    started.push(() => pipeline.stop());
    started.push(() => closeTopicReaders());
    ui = await startUiFor(pipeline, token);
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
    expect(dryRun.body).toMatchObject({ dryRun: true, published: 0 });
    expect(Object.values(before.topics.orders.end).reduce((a, b) => a + b, 0)).toBe(1);
    expect(redrive.body).toMatchObject({ dryRun: false, published: 1, scanned: 1 });
    expect(again.body).toMatchObject({
      dryRun: false,
      published: 0,
      scanned: 1,
      planned: [],
      alreadyRedriven: [{ from: `${pipeline.topics.dlq}:${dead.partition}:${dead.offset}` }],
    });
    expect(forced.body).toMatchObject({
      dryRun: true,
      alreadyRedriven: [],
      planned: [{ to: pipeline.topics.orders }],
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
});
