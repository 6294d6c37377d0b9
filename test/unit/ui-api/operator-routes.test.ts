import { describe, expect, it, vi } from 'vitest';
import { invalidInput, notFound } from '../../../shared/operator/errors.js';
import type { OperatorService } from '../../../shared/operator/service.js';
import type { SignedIn } from '../../../shared/ui-api/api.js';
import type { ApiRequest } from '../../../shared/ui-api/http.js';
import { ApiError } from '../../../shared/ui-api/http.js';
import { filterFromQuery, operatorRoutes } from '../../../shared/ui-api/operator-routes.js';
import { createRedriveJobs } from '../../../shared/ui-api/redrive-jobs.js';

const request = (method: string, query = '', body?: unknown): ApiRequest => ({
  method,
  path: '/',
  query: new URLSearchParams(query),
  headers: { 'content-type': 'application/json' },
  cookies: {},
  body: body === undefined ? undefined : JSON.stringify(body),
});

const signedIn = (req: ApiRequest, params: Record<string, string> = {}): SignedIn => ({
  request: req,
  params,
  session: { operator: 'alice', nonce: 'nonce-1234', expiresAt: 1 },
});

const setup = (service: Partial<OperatorService>) => {
  const routes = operatorRoutes({
    service: async () => service as OperatorService,
    jobs: createRedriveJobs({ now: Date.now }),
    logger: { info: () => undefined, error: () => undefined },
  });
  const route = (method: string, path: string) => {
    const found = routes.find((entry) => entry.method === method && entry.path === path);
    if (found === undefined) throw new Error(`no route ${method} ${path}`);
    return found;
  };
  return { route };
};

const bodyOf = (response: { body: string | Buffer }) =>
  JSON.parse(String(response.body)) as Record<string, unknown>;

describe('operator console routes', () => {
  it('reads the search filter from the query string, times as epoch ms or ISO', () => {
    // Act
    const filter = filterFromQuery(
      new URLSearchParams(
        'reason=permanent-failure&text=card&key=o-1&fromTime=1000&toTime=2026-01-01T00:00:00Z&x=1',
      ),
    );

    // Assess
    expect(filter).toEqual({
      reason: 'permanent-failure',
      text: 'card',
      key: 'o-1',
      fromTime: 1000,
      toTime: Date.parse('2026-01-01T00:00:00Z'),
    });
    expect(() => filterFromQuery(new URLSearchParams('fromTime=yesterday'))).toThrow(ApiError);
  });

  it("lists a group's records with its fingerprint as a filter, and passes the page on", async () => {
    // Prepare
    const list = vi.fn(async () => ({ topic: 'orders.dlq', records: [], total: 7, scanned: 9, window: {} }));
    const { route } = setup({ list });

    // Act
    const response = await route('GET', '/api/dlq/groups/{fingerprint}/records').handle(
      signedIn(request('GET', 'limit=5&cursor=abc&reason=x'), { fingerprint: 'fp-1' }),
    );

    // Assess
    expect(bodyOf(response)).toMatchObject({ total: 7 });
    expect(list).toHaveBeenCalledWith({
      filter: { reason: 'x', fingerprint: 'fp-1' },
      limit: 5,
      cursor: 'abc',
    });
  });

  it("maps the service's refusals to 400 and 404 with its message", async () => {
    // Prepare
    const { route } = setup({
      list: async () => {
        throw invalidInput('invalid list request: limit too big');
      },
      inspect: async () => {
        throw notFound('no record at orders.dlq:0:9');
      },
    });

    // Act
    const refused = route('GET', '/api/dlq/records').handle(signedIn(request('GET', 'limit=100000')));
    const missing = route('GET', '/api/dlq/records/{partition}/{offset}').handle(
      signedIn(request('GET'), { partition: '0', offset: '9' }),
    );

    // Assess
    await expect(refused).rejects.toMatchObject({
      status: 400,
      message: 'invalid list request: limit too big',
    });
    await expect(missing).rejects.toMatchObject({ status: 404, message: 'no record at orders.dlq:0:9' });
  });

  it('refuses an invalid redrive or an edit the order schema rejects before any job starts', async () => {
    // Prepare
    const redrive = vi.fn();
    const editAndRedrive = vi.fn();
    const { route } = setup({ redrive, editAndRedrive });

    // Act
    const badRedrive = route('POST', '/api/dlq/redrives').handle(
      signedIn(request('POST', '', { selection: { kind: 'everything' }, target: 'origin' })),
    );
    const badEdit = route('POST', '/api/dlq/records/{partition}/{offset}/edit-redrive').handle(
      signedIn(request('POST', '', { value: { orderId: 'o-1', amount: -1 }, target: 'origin' }), {
        partition: '0',
        offset: '3',
      }),
    );
    const unknownJob = route('GET', '/api/dlq/redrives/{id}').handle(
      signedIn(request('GET'), { id: 'job-none' }),
    );

    // Assess
    await expect(badRedrive).rejects.toMatchObject({ status: 400 });
    await expect(badEdit).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/amount/) });
    await expect(unknownJob).rejects.toMatchObject({ status: 404 });
    expect(redrive).not.toHaveBeenCalled();
    expect(editAndRedrive).not.toHaveBeenCalled();
  });

  it('starts a redrive job as the signed-in operator and answers 202 with it', async () => {
    // Prepare
    const redrive = vi.fn(async (_request: unknown, _context: { operator: { name: string } }) => ({
      runId: 'run-1',
      generation: 1,
      dryRun: false,
      cancelled: false,
      target: 'origin' as const,
      scanned: 3,
      matched: 3,
      sent: 3,
      recovered: 0,
      alreadyRedriven: 0,
      skipped: [],
      planned: [],
    }));
    const { route } = setup({ redrive });

    // Act
    const started = await route('POST', '/api/dlq/redrives').handle(
      signedIn(request('POST', '', { selection: { kind: 'group', fingerprint: 'fp-1' }, target: 'origin' })),
    );
    const id = String(bodyOf(started).id);
    const done = await route('GET', '/api/dlq/redrives/{id}').handle(
      signedIn(request('GET', 'waitMs=5000'), { id }),
    );

    // Assess
    expect(started.status).toBe(202);
    // The POST attends the job it starts (redrive-jobs.ts): a run this small is done by its answer.
    expect(bodyOf(started)).toMatchObject({ state: 'done', operator: 'alice' });
    expect(bodyOf(done)).toMatchObject({ state: 'done', result: { sent: 3 } });
    expect(redrive.mock.calls[0]?.[1]).toMatchObject({ operator: { name: 'alice' } });
  });

  it('answers 409 to a second redrive while one runs in this container; a dry run still starts', async () => {
    // Prepare
    let finish = (): void => undefined;
    const redrive = vi.fn(
      (_request: unknown, _context: unknown) =>
        new Promise<never>((_resolve, reject) => {
          finish = () => reject(new Error('stopped'));
        }),
    );
    const { route } = setup({ redrive });
    const start = (body: Record<string, unknown>) =>
      route('POST', '/api/dlq/redrives').handle(
        signedIn(
          request('POST', '', {
            selection: { kind: 'group', fingerprint: 'fp-1' },
            target: 'origin',
            ...body,
          }),
        ),
      );

    // Act
    const first = await start({});
    // Settled at once into values: the dry run below takes a while, and a rejection must not wait unhandled.
    const refusal = (answer: Promise<unknown>) =>
      answer.then(
        () => undefined,
        (error: unknown) => error,
      );
    const second = refusal(start({ force: true }));
    const edit = refusal(
      route('POST', '/api/dlq/records/{partition}/{offset}/edit-redrive').handle(
        signedIn(request('POST', '', { value: { orderId: 'o-1', amount: 1 }, target: 'origin' }), {
          partition: '0',
          offset: '3',
        }),
      ),
    );
    const dryRun = await start({ dryRun: true });
    finish();

    // Assess
    expect(first.status).toBe(202);
    expect(await second).toMatchObject({ status: 409, message: expect.stringMatching(/still running/) });
    expect(await edit).toMatchObject({ status: 409 });
    expect(dryRun.status).toBe(202);
  });
});
