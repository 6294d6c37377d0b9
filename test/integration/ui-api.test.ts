import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type LocalUi, startLocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/ui-api/topic-reader.js';
import { type Pipeline, startPipeline } from './helpers/pipeline.js';
import { waitFor } from './helpers/wait-for.js';

interface View {
  key: { text: string };
  value: { encoding: string; text: string };
  partition: number;
  offset: number;
  failure?: {
    attempt: number;
    errorMessage: string;
    reason?: string;
    redrive?: { count: number; from: string };
  };
}
interface Page {
  topics: Record<'orders' | 'retry' | 'dlq', { name: string; end: Record<string, number>; messages: View[] }>;
  cursor: string;
}

/** A browser-like client: keeps the session cookie and the CSRF token, sends the page's origin. */
const client = (ui: LocalUi) => {
  const origin = ui.url.replace(/\/$/, '');
  let cookie = '';
  let csrf = '';
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const response = await fetch(new URL(path, ui.url), {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { origin, 'content-type': 'application/json', 'x-csrf-token': csrf } : {}),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  return {
    call,
    login: async (token: string) => {
      const response = await call('POST', '/api/login', { token });
      cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      csrf = String(response.body.csrfToken ?? '');
      return response;
    },
    page: async (cursor?: string) =>
      (await call('GET', `/api/messages${cursor ? `?cursor=${cursor}` : ''}`)).body as unknown as Page,
  };
};

const token = 'integration-token';

describe('UI API against the real broker', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;

  beforeEach(async () => {
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    const id = pipeline.topics.orders.replace(/^orders-/, '').replace(/\.v1$/, '');
    ui = await startLocalUi({
      accessToken: token,
      port: 0,
      config: pipeline.config,
      consumerGroups: [
        { groupId: `orders-main-consumer-${id}`, role: 'orders' },
        { groupId: `orders-retry-consumer-${id}`, role: 'retry' },
      ],
    });
  });

  afterEach(async () => {
    await ui.stop();
    await closeTopicReaders();
    await pipeline.stop();
  });

  it('refuses the API without a session and produces nothing on a rejected request', async () => {
    // Prepare
    const api = client(ui);

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
    const api = client(ui);
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

    // Assess
    expect(produced.status).toBe(200);
    expect(dead.failure).toMatchObject({ reason: 'permanent-failure', attempt: 1 });
    expect(dead.failure?.errorMessage).toContain('simulate.failUntilRedriven');
    expect(dryRun.body).toMatchObject({ dryRun: true, published: 0 });
    expect(Object.values(before.topics.orders.end).reduce((a, b) => a + b, 0)).toBe(1);
    expect(redrive.body).toMatchObject({ dryRun: false, published: 1 });
    expect(redriven.failure).toMatchObject({
      attempt: 0,
      redrive: { count: 1, from: `${pipeline.topics.dlq}:${dead.partition}:${dead.offset}` },
    });
  });

  it('returns only new messages after a cursor, renders poison as text or hex, and refreshes warm in milliseconds', async () => {
    // Prepare
    const api = client(ui);
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
    const timings: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const startedAt = performance.now();
      await api.page(after.cursor);
      timings.push(performance.now() - startedAt);
    }
    const stats = await api.call('GET', '/api/stats');

    // Assess
    expect(next.topics.orders.messages.map((m) => [m.key.text, m.value.encoding, m.value.text])).toEqual([
      ['poison-2', 'hex', 'ff 00 fe'],
      ['poison-1', 'text', '<script>alert(1)</script>'],
    ]);
    expect(after.topics.orders.messages).toEqual([]);
    expect(Math.min(...timings)).toBeLessThan(100);
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
