import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RedriveRequest } from '../../../shared/contract/operator.js';
import type { RedriveJobView } from '../../../shared/contract/redrive-job.js';
import { followJob } from '../../../ui/src/job-client.js';

const request: RedriveRequest = { selection: { kind: 'group', fingerprint: 'fp-1' }, target: 'origin' };

const view = (overrides: Partial<RedriveJobView> = {}): RedriveJobView => ({
  id: 'job-a',
  state: 'running',
  operator: 'carol',
  request,
  startedAt: 1,
  updatedAt: 1,
  progress: {
    runId: 'run-1',
    phase: 'sending',
    scanned: 10,
    matched: 10,
    sent: 4,
    alreadyRedriven: 0,
    skipped: 0,
    ratePerSecond: 20,
  },
  ...overrides,
});

type Answer = { status: number; body: unknown };

/** A fetch that answers from `answers` in order and keeps what was asked. */
const stubFetch = (answers: Answer[]) => {
  const asked: Array<{ url: string; method: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: { method: string; body?: string }) => {
      asked.push({
        url,
        method: init.method,
        body: init.body === undefined ? undefined : JSON.parse(init.body),
      });
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected request ${init.method} ${url}`);
      return { status: answer.status, ok: answer.status < 300, json: async () => answer.body };
    }),
  );
  return asked;
};

const notHere = { status: 404, body: { error: 'no such redrive job here' } };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('followJob', () => {
  it('continues the same run in the container a poll reaches when that one does not have the job', async () => {
    // Prepare
    const asked = stubFetch([
      notHere,
      { status: 202, body: view({ id: 'job-b' }) },
      { status: 200, body: view({ id: 'job-b', state: 'done' }) },
    ]);
    const continued: string[] = [];

    // Act
    const ended = await followJob(view(), () => undefined, {
      onContinued: (job) => continued.push(job.id),
    });

    // Assess
    expect(ended).toMatchObject({ id: 'job-b', state: 'done' });
    expect(continued).toEqual(['job-b']);
    expect(asked.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /api/dlq/redrives/job-a?waitMs=1000',
      'POST /api/dlq/redrives',
      'GET /api/dlq/redrives/job-b?waitMs=1000',
    ]);
    expect(asked[1]?.body).toEqual({ ...request, resumeRun: 'run-1' });
  });

  it('ends as cancelled when the cancel reaches a container without the job, starting nothing', async () => {
    const asked = stubFetch([notHere]);

    const ended = await followJob(view(), () => undefined, {
      onFollow: (followed) => followed.cancel(),
      onContinued: () => undefined,
    });

    expect(ended.state).toBe('cancelled');
    expect(asked.map(({ method }) => method)).toEqual(['POST']);
  });

  it('does not start a forced redrive again when no run id is known yet: it could open a new generation', async () => {
    const asked = stubFetch([notHere]);
    const { progress: _none, ...withoutProgress } = view({ request: { ...request, force: true } });

    await expect(
      followJob(withoutProgress, () => undefined, { onContinued: () => undefined }),
    ).rejects.toThrow(/forced redrive no longer answers/);
    expect(asked).toHaveLength(1);
  });

  it('starts a plain redrive again when no run id is known yet: the ledger leaves out what was sent', async () => {
    const asked = stubFetch([notHere, { status: 202, body: view({ id: 'job-b', state: 'done' }) }]);
    const { progress: _none, ...withoutProgress } = view();

    await followJob(withoutProgress, () => undefined, { onContinued: () => undefined });

    expect(asked[1]?.body).toEqual(request);
  });

  it('fails on any other error, without starting anything', async () => {
    const asked = stubFetch([{ status: 500, body: { error: 'broker down' } }]);

    await expect(followJob(view(), () => undefined, { onContinued: () => undefined })).rejects.toThrow(
      'broker down',
    );
    expect(asked).toHaveLength(1);
  });

  it('fails a job that is not its own request again (an edit) instead of continuing it as a plain redrive', async () => {
    const asked = stubFetch([notHere]);

    await expect(followJob(view(), () => undefined)).rejects.toThrow('no such redrive job here');
    expect(asked).toHaveLength(1);
  });
});
