import type { SearchFilter } from '../contract/operator.js';
import { OrderValidationError } from '../domain/errors.js';
import { validateOrder } from '../domain/order-schema.js';
import { OperatorError, OperatorErrorCode } from '../operator/errors.js';
import type { OperatorService } from '../operator/service.js';
import { parseEditRedriveRequest, parseRedriveRequest } from '../operator/validate.js';
import type { AuditLogger, SessionRoute, SignedIn } from './api.js';
import { ApiError, type ApiResponse, json, parseJsonBody } from './http.js';
import type { RedriveJobs } from './redrive-jobs.js';

/**
 * How long the POST that starts a redrive attends it before it answers: the run starts within it (a
 * job does nothing unattended, see redrive-jobs.ts), and a small redrive is done by the answer.
 */
const startAttendMs = 1_000;

/** How long a new redrive waits for a cancelled or abandoned one to end before it is refused. */
const stoppingWaitMs = 5_000;

/** The longest a progress poll waits for a running redrive to move (it keeps the run going on Lambda). */
export const maxProgressWaitMs = 5_000;

const statusOf = {
  [OperatorErrorCode.invalidInput]: 400,
  [OperatorErrorCode.notFound]: 404,
  [OperatorErrorCode.conflict]: 409,
} as const satisfies Record<OperatorErrorCode, number>;

/** Runs a use case; the service's refusals become 4xx responses with its message. */
export const call = async <T>(useCase: () => Promise<T>): Promise<T> => {
  try {
    return await useCase();
  } catch (error) {
    if (error instanceof OperatorError) throw new ApiError(statusOf[error.code], error.message);
    throw error;
  }
};

const filterKeys = ['reason', 'errorClass', 'text', 'key', 'originTopic', 'fingerprint'] as const;
const timeKeys = ['fromTime', 'toTime'] as const;

/** The search filter in a query string; the service validates the values. */
export const filterFromQuery = (query: URLSearchParams): SearchFilter => {
  const filter: Record<string, string | number> = {};
  for (const name of filterKeys) {
    const value = query.get(name);
    if (value !== null && value !== '') filter[name] = value;
  }
  for (const name of timeKeys) {
    const value = query.get(name);
    if (value === null || value === '') continue;
    const time = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(time)) throw new ApiError(400, `${name} must be epoch ms or an ISO date-time`);
    filter[name] = time;
  }
  return filter as SearchFilter;
};

const integerParam = (query: URLSearchParams, name: string): number | undefined => {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new ApiError(400, `${name} must be a whole number`);
  return Number(value);
};

const coordinate = (params: Readonly<Record<string, string>>) => {
  const { partition = '', offset = '' } = params;
  if (!/^\d{1,5}$/.test(partition) || !/^\d{1,18}$/.test(offset))
    throw new ApiError(400, 'invalid coordinate');
  return { partition: Number(partition), offset: Number(offset) };
};

const listPage = (service: OperatorService, input: SignedIn, extra: SearchFilter = {}) => {
  const { query } = input.request;
  const limit = integerParam(query, 'limit');
  const cursor = query.get('cursor');
  return call(() =>
    service.list({
      filter: { ...filterFromQuery(query), ...extra },
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === null || cursor === '' ? {} : { cursor }),
    }),
  );
};

/**
 * One redrive at a time per container (the service refuses a second): a 409 before a job exists. A job
 * already told to stop is given a moment to end first.
 */
const refuseWhileRedriving = async (jobs: RedriveJobs): Promise<void> => {
  await jobs.settleStopping(stoppingWaitMs);
  const active = jobs.activeRedrive();
  if (active !== undefined) {
    throw new ApiError(409, `redrive job ${active.id} is still running; wait for it to end or cancel it`);
  }
};

export interface OperatorRouteDependencies {
  readonly service: () => Promise<OperatorService>;
  readonly jobs: RedriveJobs;
  readonly logger: AuditLogger;
}

/**
 * The operator console's routes: each one parses the request, calls one operator use case and
 * returns its response as it is (the types are the contract's). The operator's name comes from the
 * session, never from the request.
 */
export const operatorRoutes = (deps: OperatorRouteDependencies): SessionRoute[] => {
  const { jobs, logger } = deps;
  const startRedrive = async ({ request, session }: SignedIn): Promise<ApiResponse> => {
    const body = parseJsonBody(request);
    const service = await deps.service();
    // Validated before the job starts, so a bad request is a 400 here and not a failed job later.
    const redriveRequest = await call(async () => parseRedriveRequest(body));
    if (redriveRequest.resumeRun !== undefined) jobs.abandonRun(redriveRequest.resumeRun);
    if (redriveRequest.dryRun !== true) await refuseWhileRedriving(jobs);
    const operator = { name: session.operator };
    const job = jobs.start(redriveRequest, session.operator, (context) =>
      service.redrive(redriveRequest, { operator, ...context }),
    );
    logger.info('ui redrive started', {
      operator: session.operator,
      job: job.id,
      selection: redriveRequest.selection.kind,
      target: redriveRequest.target,
      dryRun: redriveRequest.dryRun ?? false,
      force: redriveRequest.force ?? false,
      ...(redriveRequest.resumeRun ? { resumeRun: redriveRequest.resumeRun } : {}),
    });
    return json(202, (await jobs.attend(job.id, startAttendMs)) ?? job);
  };

  return [
    {
      method: 'GET',
      path: '/api/dlq/records',
      handle: async (input) => json(200, await listPage(await deps.service(), input)),
    },
    {
      method: 'GET',
      path: '/api/dlq/records/{partition}/{offset}',
      handle: async ({ params }) => {
        const service = await deps.service();
        return json(200, await call(() => service.inspect(coordinate(params))));
      },
    },
    {
      method: 'POST',
      path: '/api/dlq/records/{partition}/{offset}/edit-redrive',
      handle: async ({ request, params, session }) => {
        const body = parseJsonBody(request) as Record<string, unknown> | null;
        if (typeof body !== 'object' || body === null) throw new ApiError(400, 'body must be a JSON object');
        // The order schema refuses a bad value here, as a 400, before a job exists (the service checks again).
        try {
          validateOrder(body.value);
        } catch (error) {
          if (error instanceof OrderValidationError) throw new ApiError(400, error.message);
          throw error;
        }
        const edit = await call(async () => parseEditRedriveRequest({ ...body, record: coordinate(params) }));
        const service = await deps.service();
        await refuseWhileRedriving(jobs);
        // A job like any redrive: a scan plus a ledger transaction can outlast one request on a busy broker.
        const job = jobs.start(
          {
            selection: { kind: 'records', records: [edit.record] },
            target: edit.target,
          },
          session.operator,
          (context) => service.editAndRedrive(edit, { operator: { name: session.operator }, ...context }),
        );
        logger.info('ui edit and redrive started', {
          operator: session.operator,
          job: job.id,
          from: `${params.partition}:${params.offset}`,
        });
        return json(202, (await jobs.attend(job.id, startAttendMs)) ?? job);
      },
    },
    {
      method: 'GET',
      path: '/api/dlq/groups',
      handle: async ({ request }) => {
        const service = await deps.service();
        const buckets = integerParam(request.query, 'buckets');
        return json(
          200,
          await call(() =>
            service.groups({
              filter: filterFromQuery(request.query),
              ...(buckets === undefined ? {} : { buckets }),
            }),
          ),
        );
      },
    },
    {
      method: 'GET',
      path: '/api/dlq/groups/{fingerprint}/records',
      handle: async (input) =>
        json(
          200,
          await listPage(await deps.service(), input, { fingerprint: input.params.fingerprint ?? '' }),
        ),
    },
    { method: 'POST', path: '/api/dlq/redrives', handle: startRedrive },
    {
      method: 'GET',
      path: '/api/dlq/redrives/{id}',
      handle: async ({ request, params }) => {
        const waitMs = Math.min(maxProgressWaitMs, integerParam(request.query, 'waitMs') ?? 0);
        const job = await jobs.attend(params.id ?? '', waitMs);
        if (job === undefined) {
          throw new ApiError(
            404,
            'no such redrive job here; the redrive history shows every run from the ledger',
          );
        }
        return json(200, job);
      },
    },
    {
      method: 'POST',
      path: '/api/dlq/redrives/{id}/cancel',
      handle: async ({ params, session }) => {
        const job = jobs.cancel(params.id ?? '');
        if (job === undefined) throw new ApiError(404, 'no such redrive job here');
        logger.info('ui redrive cancelled', { operator: session.operator, job: job.id });
        // Attended like a poll: the run stops before its next chunk, and the answer comes once it has.
        return json(200, (await jobs.attend(job.id, maxProgressWaitMs)) ?? job);
      },
    },
    {
      method: 'GET',
      path: '/api/dlq/history',
      handle: async ({ request }) => {
        const service = await deps.service();
        return json(200, await call(() => service.history(integerParam(request.query, 'limit') ?? 50)));
      },
    },
    {
      method: 'GET',
      path: '/api/charts/rates',
      handle: async () => json(200, await (await deps.service()).rates()),
    },
    {
      method: 'GET',
      path: '/api/charts/lag',
      handle: async () => json(200, await (await deps.service()).lag()),
    },
  ];
};
