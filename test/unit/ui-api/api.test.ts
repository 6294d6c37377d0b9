import { describe, expect, it, vi } from 'vitest';
import type { RedriveRequest, RedriveResult } from '../../../shared/contract/operator.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import type { OperatorService, RunContext } from '../../../shared/operator/service.js';
import { createUiApi, type TopicReaderPort } from '../../../shared/ui-api/api.js';
import type { ApiRequest, ApiResponse } from '../../../shared/ui-api/http.js';
import { MessageLog } from '../../../shared/ui-api/message-log.js';
import type { TopicRole } from '../../../shared/ui-api/requests.js';
import { uiAssets } from '../../../ui/generated/assets.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';

const host = 'ui.example';
const origin = `https://${host}`;

const setup = (secret = 'token-123') => {
  const logs: Record<TopicRole, MessageLog> = {
    orders: new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 }),
    retry: new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 }),
    dlq: new MessageLog({ maxRecords: 10, maxBytes: 1_000_000 }),
  };
  const refresh = vi.fn(async () => ({
    orders: logs.orders.positions(),
    retry: {},
    dlq: logs.dlq.positions(),
  }));
  const reader: TopicReaderPort = {
    refresh,
    log: (role) => logs[role],
  };
  const published: OutboundMessage[] = [];
  const publish = vi.fn(async (messages: readonly OutboundMessage[]) => {
    published.push(...messages);
  });
  const redrive = vi.fn(
    async (request: unknown, context: RunContext): Promise<RedriveResult> => ({
      runId: 'run-1',
      generation: 1,
      dryRun: (request as RedriveRequest).dryRun ?? false,
      cancelled: false,
      target: 'origin',
      scanned: 1,
      matched: 1,
      sent: (request as RedriveRequest).dryRun ? 0 : 1,
      recovered: 0,
      alreadyRedriven: 0,
      skipped: [],
      planned: [],
      ...(context.operator.name === '' ? { cancelled: true } : {}),
    }),
  );
  const service = { redrive } as unknown as OperatorService;
  const api = createUiApi({
    topics,
    service: async () => service,
    reader: async () => reader,
    stats: async () => ({ ok: true }),
    publish,
    accessToken: async () => secret,
    secureCookies: true,
    assets: uiAssets,
    now: () => T0,
    logger: { info: () => undefined, error: () => undefined },
  });
  const call = (
    method: string,
    path: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      cookies?: Record<string, string>;
      sourceIp?: string;
      bodyBytes?: number;
    } = {},
  ): Promise<ApiResponse> => {
    const [pathname = '', query = ''] = path.split('?');
    const request: ApiRequest = {
      sourceIp: options.sourceIp ?? '198.51.100.7',
      ...(options.bodyBytes === undefined ? {} : { bodyBytes: options.bodyBytes }),
      method,
      path: pathname,
      query: new URLSearchParams(query),
      headers: {
        host,
        ...(method === 'POST' ? { origin, 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      cookies: options.cookies ?? {},
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    };
    return api(request);
  };
  const login = async () => {
    const response = await call('POST', '/api/login', { body: { token: 'token-123' } });
    const cookie = response.cookies?.[0] ?? '';
    const name = cookie.slice(0, cookie.indexOf('='));
    const value = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    const { csrfToken } = JSON.parse(String(response.body)) as { csrfToken: string };
    return { cookies: { [name]: value }, headers: { 'x-csrf-token': csrfToken }, cookie };
  };
  return { logs, call, login, publish, published, refresh, redrive };
};

const bodyOf = (response: ApiResponse) => JSON.parse(String(response.body)) as Record<string, unknown>;

describe('UI API', () => {
  it('answers 401 to every API call without a session', async () => {
    // Prepare
    const { call } = setup();

    // Act
    const responses = await Promise.all([
      call('GET', '/api/messages'),
      call('GET', '/api/stats'),
      call('GET', '/api/session'),
      call('POST', '/api/produce', { body: { mode: 'raw', value: 'x' } }),
    ]);

    // Assess
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(bodyOf(responses[0] as ApiResponse)).toEqual({ error: 'not signed in' });
  });

  it('exchanges the right token for a Secure HttpOnly session cookie, and refuses a wrong one', async () => {
    // Prepare
    const { call } = setup();

    // Act
    const wrong = await call('POST', '/api/login', { body: { token: 'token-124' } });
    const right = await call('POST', '/api/login', { body: { token: 'token-123' } });

    // Assess
    expect(wrong.status).toBe(401);
    expect(wrong.cookies).toBeUndefined();
    expect(right.status).toBe(200);
    expect(right.cookies?.[0]).toMatch(
      /^__Host-orders_session=v2\.[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
    expect(bodyOf(right).operator).toBe('operator');
    expect(String(right.body)).not.toContain('token-123');
  });

  it('refuses a write without the CSRF token, or from another origin, and produces nothing', async () => {
    // Prepare
    const { call, login, publish } = setup();
    const { cookies, headers } = await login();
    const body = { mode: 'raw', value: 'x' };

    // Act
    const noCsrf = await call('POST', '/api/produce', { body, cookies });
    const crossOrigin = await call('POST', '/api/produce', {
      body,
      cookies,
      headers: { ...headers, origin: 'https://evil.example' },
    });
    const crossLogin = await call('POST', '/api/login', {
      body: { token: 'token-123' },
      headers: { origin: 'https://evil.example' },
    });

    // Assess
    expect([noCsrf.status, crossOrigin.status, crossLogin.status]).toEqual([403, 403, 403]);
    expect(publish).not.toHaveBeenCalled();
  });

  it('refuses invalid input with a 4xx reason and produces nothing', async () => {
    // Prepare
    const { call, login, publish } = setup();
    const session = await login();

    // Act
    const responses = await Promise.all([
      call('POST', '/api/produce', { ...session, body: { mode: 'form', order: { orderId: 'o-1' } } }),
      call('POST', '/api/produce', { ...session, body: '{not json' }),
      call('POST', '/api/produce', { ...session, body: 'x'.repeat(300 * 1024) }),
      call('POST', '/api/produce', {
        ...session,
        body: { mode: 'raw', value: 'x' },
        headers: { ...session.headers, 'content-type': 'text/plain' },
      }),
      call('GET', '/api/messages?cursor=%%%', session),
      call('GET', '/api/messages?limit=100000', session),
      call('GET', '/api/messages/secrets/0/1', session),
      call('GET', '/api/nothing', session),
    ]);

    // Assess
    expect(responses.map((r) => r.status)).toEqual([400, 400, 413, 415, 400, 400, 404, 404]);
    expect(bodyOf(responses[0] as ApiResponse).error).toMatch(/^invalid order: amount/);
    expect(bodyOf(responses[2] as ApiResponse).error).toBe(
      'request body is 307200 bytes; the limit is 262144 bytes (256 KiB)',
    );
    expect(publish).not.toHaveBeenCalled();
  });

  it('answers 413 on the declared size of a body the adapter stopped reading, before any parsing', async () => {
    // Prepare
    const { call } = setup();

    // Act
    const response = await call('POST', '/api/login', {
      body: '{"token":"tok',
      bodyBytes: 1_048_576,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(bodyOf(response).error).toMatch(/^request body is 1048576 bytes; the limit is 262144 bytes/);
  });

  it('throttles repeated failed sign-ins from one client with 429, even with the right token', async () => {
    // Prepare
    const { call } = setup();
    const wrong = () => call('POST', '/api/login', { body: { token: 'guess' } });

    // Act
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await wrong()).status);
    const right = await call('POST', '/api/login', { body: { token: 'token-123' } });
    const otherClient = await call('POST', '/api/login', {
      body: { token: 'token-123' },
      sourceIp: '203.0.113.9',
    });

    // Assess
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBe('300');
    expect(bodyOf(right).error).toMatch(/too many failed sign-ins/);
    expect(right.cookies).toBeUndefined();
    expect(otherClient.status).toBe(200);
  });

  it('names the operator of a named token in the session', async () => {
    // Prepare
    const { call } = setup('alice:token-alice, bob:token-bob');

    // Act
    const login = await call('POST', '/api/login', { body: { token: 'token-bob' } });
    const cookie = login.cookies?.[0] ?? '';
    const session = await call('GET', '/api/session', {
      cookies: {
        [cookie.slice(0, cookie.indexOf('='))]: cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';')),
      },
    });

    // Assess
    expect(bodyOf(login).operator).toBe('bob');
    expect(bodyOf(session).operator).toBe('bob');
  });

  it('sends HSTS over https only', async () => {
    // Prepare
    const { call } = setup();

    // Act
    const https = await call('GET', '/');
    const http = await call('GET', '/', { headers: { 'x-forwarded-proto': 'http' } });

    // Assess
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(http.headers['strict-transport-security']).toBeUndefined();
  });

  it('produces a valid order and lists records newer than the cursor only', async () => {
    // Prepare
    const { call, login, logs, published } = setup();
    const session = await login();
    logs.orders.add(consumedRecord({ offset: 0 }));

    // Act
    const produced = await call('POST', '/api/produce', {
      ...session,
      body: { mode: 'form', order: { orderId: 'o-5', amount: 1 } },
    });
    const first = bodyOf(await call('GET', '/api/messages', session));
    logs.orders.add(consumedRecord({ offset: 1 }));
    const second = bodyOf(await call('GET', `/api/messages?cursor=${String(first.cursor)}`, session));
    const third = bodyOf(await call('GET', `/api/messages?cursor=${String(second.cursor)}`, session));

    // Assess
    expect(produced.status).toBe(200);
    expect(published.map((m) => m.key?.toString())).toEqual(['o-5']);
    const offsets = (page: Record<string, unknown>) =>
      ((page.topics as Record<string, { messages: Array<{ offset: number }> }>).orders?.messages ?? []).map(
        (m) => m.offset,
      );
    expect(offsets(first)).toEqual([0]);
    expect(offsets(second)).toEqual([1]);
    expect(offsets(third)).toEqual([]);
  });

  it('redrives selected or matching DLQ records through the operator service, as the signed-in operator', async () => {
    // Prepare
    const { call, redrive } = setup('alice:token-alice');
    const response = await call('POST', '/api/login', { body: { token: 'token-alice' } });
    const cookie = response.cookies?.[0] ?? '';
    const session = {
      cookies: {
        [cookie.slice(0, cookie.indexOf('='))]: cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';')),
      },
      headers: { 'x-csrf-token': String(bodyOf(response).csrfToken) },
    };

    // Act
    const dry = await call('POST', '/api/redrive', {
      ...session,
      body: { target: 'origin', dryRun: true, records: [{ partition: 0, offset: 4 }] },
    });
    const all = await call('POST', '/api/redrive', {
      ...session,
      body: { target: 'retry', all: true, filter: { reason: 'permanent-failure' } },
    });

    // Assess
    expect([dry.status, all.status]).toEqual([200, 200]);
    expect(bodyOf(dry)).toMatchObject({ dryRun: true, sent: 0 });
    expect(redrive.mock.calls.map(([request, context]) => [request, context.operator.name])).toEqual([
      [
        {
          selection: { kind: 'records', records: [{ partition: 0, offset: 4 }] },
          target: 'origin',
          dryRun: true,
          force: false,
        },
        'alice',
      ],
      [
        {
          selection: { kind: 'filter', filter: { reason: 'permanent-failure' } },
          target: 'retry',
          dryRun: false,
          force: false,
        },
        'alice',
      ],
    ]);
  });

  it('serves the page gzipped with a strict CSP and without inline script', async () => {
    // Prepare
    const { call } = setup();

    // Act
    const page = await call('GET', '/', { headers: { 'accept-encoding': 'gzip, br' } });
    const plain = await call('GET', '/');
    const head = await call('HEAD', '/app.js');
    const postToPage = await call('POST', '/', { body: {} });

    // Assess
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-type']).toMatch(/^text\/javascript/);
    expect(postToPage.status).toBe(405);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(String(plain.body)).toContain('<script type="module" src="/app.js"></script>');
    expect(String(plain.body)).not.toMatch(/<script>|\son[a-z]+=/);
  });
});
