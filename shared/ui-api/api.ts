import type { RedriveRequest as ServiceRedriveRequest } from '../contract/operator.js';
import type { OutboundMessage } from '../domain/failure-routing.js';
import type { Topics } from '../domain/topics.js';
import { RenderLimits, toMessageView } from '../operator/render.js';
import type { OperatorService } from '../operator/service.js';
import { createAuth } from './auth.js';
import {
  ApiError,
  type ApiRequest,
  type ApiResponse,
  assertBodySize,
  errorResponse,
  hstsHeader,
  isHttps,
  json,
  parseJsonBody,
} from './http.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import type { MessageLog, PartitionOffsets } from './message-log.js';
import { buildProduceMessage } from './operations.js';
import { call } from './operator-routes.js';
import {
  type Cursor,
  decodeCursor,
  encodeCursor,
  isTopicRole,
  parseCoordinate,
  parseProduce,
  parseRedrive,
  type TopicRole,
  topicRoles,
} from './requests.js';
import { type ApiRoute, createRouter, type PathParameters } from './router.js';
import { isSameOrigin, type Session, sessionCookie } from './session.js';
import { type StaticAssets, serveStatic } from './static-assets.js';

/** The latest records of the three topics, kept fresh by a long-lived reader (see topic-reader.ts). */
export interface TopicReaderPort {
  /** Waits, bounded, until the logs hold everything up to the current end offsets, and returns those. */
  refresh(): Promise<Record<TopicRole, PartitionOffsets>>;
  log(role: TopicRole): MessageLog;
}

/** Logs what was done, never a token or a payload. */
export interface AuditLogger {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface UiApiDependencies {
  readonly topics: Topics;
  readonly reader: () => Promise<TopicReaderPort>;
  readonly stats: () => Promise<unknown>;
  /** Acknowledged (acks=all) publish of every message, or a rejection. */
  readonly publish: (messages: readonly OutboundMessage[]) => Promise<void>;
  /** The operator service, which every redrive goes through. */
  readonly service: () => Promise<OperatorService>;
  /**
   * The operators' tokens as the secret store holds them: named tokens `alice:token1,bob:token2`, or
   * one bare token (without a colon), which signs in as `operator`.
   */
  readonly accessToken: () => Promise<string>;
  /** Secure `__Host-` cookies everywhere but a local http adapter. */
  readonly secureCookies: boolean;
  readonly assets: StaticAssets;
  readonly now: () => number;
  readonly logger: AuditLogger;
  /** Failed logins per client; one per container by default. */
  readonly loginThrottle?: LoginThrottle;
  /** Routes of the operator console (see operator-routes.ts), behind the same session checks. */
  readonly operatorRoutes?: readonly SessionRoute[];
}

/** A signed-in request: the session proves who the operator is. */
export interface SignedIn {
  readonly request: ApiRequest;
  readonly params: PathParameters;
  readonly session: Session;
}

/** A route that needs a session (and, for a POST, the session's CSRF token). */
export interface SessionRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handle: (input: SignedIn) => Promise<ApiResponse>;
}

export const ListLimits = { default: 100, max: 200 } as const;

/**
 * The UI's JSON API and static files, as one function from request to response. Every `/api` route
 * but login needs a valid session; every POST needs the same origin, and every POST after login the
 * session's CSRF token. Routing is `@middy/http-router`'s; what is written here is the checks.
 */
export const createUiApi = (deps: UiApiDependencies) => {
  const { login, authenticate, sessionBody } = createAuth({
    accessToken: deps.accessToken,
    secureCookies: deps.secureCookies,
    now: deps.now,
    logger: deps.logger,
    throttle: deps.loginThrottle ?? createLoginThrottle(),
    topics: deps.topics,
  });

  const messages = async (request: ApiRequest): Promise<ApiResponse> => {
    const cursor = decodeCursor(request.query.get('cursor'));
    const limitText = request.query.get('limit');
    const limit = limitText === null ? ListLimits.default : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > ListLimits.max) {
      throw new ApiError(400, `limit must be 1..${ListLimits.max}`);
    }
    const reader = await deps.reader();
    const ends = await reader.refresh();
    const next: Cursor = {};
    const topics: Record<string, unknown> = {};
    for (const role of topicRoles) {
      const log = reader.log(role);
      const previous = cursor?.[role];
      const positions = log.positions();
      next[role] = Object.fromEntries(
        Object.entries(positions).map(([partition, offset]) => [
          partition,
          Math.max(offset, previous?.[partition] ?? 0),
        ]),
      );
      topics[role] = {
        name: deps.topics[role],
        end: ends[role],
        messages: log
          .after(cursor === undefined ? undefined : (previous ?? {}), limit)
          .map((record) => toMessageView(record, RenderLimits.listValueBytes)),
      };
    }
    return json(200, { topics, cursor: encodeCursor(next) });
  };

  const details = async (params: PathParameters): Promise<ApiResponse> => {
    const role = params.role ?? '';
    if (!isTopicRole(role)) throw new ApiError(404, 'unknown topic');
    const at = parseCoordinate(params.partition ?? '', params.offset ?? '');
    const reader = await deps.reader();
    const record = reader.log(role).find(at.partition, at.offset);
    if (record === undefined) throw new ApiError(404, 'message is not among the latest ones the UI holds');
    return json(200, toMessageView(record, RenderLimits.detailValueBytes));
  };

  const produce = async ({ request, session }: SignedIn): Promise<ApiResponse> => {
    const message = buildProduceMessage(parseProduce(parseJsonBody(request)), deps.topics);
    await deps.publish([message]);
    deps.logger.info('ui produce', { topic: message.topic, operator: session.operator });
    return json(200, { produced: { topic: message.topic, key: message.key?.toString('utf8') ?? null } });
  };

  /**
   * The DLQ table's redrive (selected records, or all matching a reason/text), kept for the live view
   * and older scripts: the same exactly-once redrive of the operator service, run to its end.
   */
  const redrive = async ({ request, session }: SignedIn): Promise<ApiResponse> => {
    const input = parseRedrive(parseJsonBody(request));
    const serviceRequest: ServiceRedriveRequest = {
      selection:
        input.records === undefined
          ? { kind: 'filter', filter: input.filter }
          : { kind: 'records', records: input.records },
      target: input.target,
      dryRun: input.dryRun,
      force: input.force,
    };
    const service = await deps.service();
    const result = await call(() =>
      service.redrive(serviceRequest, { operator: { name: session.operator } }),
    );
    deps.logger.info('ui redrive', {
      operator: session.operator,
      runId: result.runId,
      target: input.target,
      dryRun: input.dryRun,
      force: input.force,
      matched: result.matched,
      sent: result.sent,
      alreadyRedriven: result.alreadyRedriven,
    });
    return json(200, result);
  };

  const signedIn = (route: SessionRoute): ApiRoute => ({
    method: route.method,
    path: route.path,
    handle: async (request, params) => {
      const { session } = await authenticate(request);
      return route.handle({ request, params, session });
    },
  });

  const sessionRoutes: SessionRoute[] = [
    {
      method: 'GET',
      path: '/api/session',
      handle: async ({ request }) => {
        const { key, session } = await authenticate(request);
        return json(200, sessionBody(key, session));
      },
    },
    {
      method: 'POST',
      path: '/api/logout',
      handle: async () =>
        json(200, {}, [sessionCookie('', { secure: deps.secureCookies, maxAgeSeconds: 0 })]),
    },
    { method: 'GET', path: '/api/messages', handle: ({ request }) => messages(request) },
    {
      method: 'GET',
      path: '/api/messages/{role}/{partition}/{offset}',
      handle: ({ params }) => details(params),
    },
    { method: 'GET', path: '/api/stats', handle: async () => json(200, await deps.stats()) },
    { method: 'POST', path: '/api/produce', handle: produce },
    { method: 'POST', path: '/api/redrive', handle: redrive },
    ...(deps.operatorRoutes ?? []),
  ];

  const staticFile = async (request: ApiRequest): Promise<ApiResponse> => {
    if (request.path === '/favicon.ico') return { status: 204, headers: {}, body: '' };
    if (request.path.startsWith('/api/')) throw new ApiError(404, 'no such route');
    const asset = serveStatic(deps.assets, request.path, request.headers);
    if (asset === undefined) throw new ApiError(404, 'not found');
    // HEAD: the same headers, no body.
    return request.method === 'HEAD' ? { ...asset, body: '' } : asset;
  };

  const route = createRouter([
    { method: 'POST', path: '/api/login', handle: login },
    ...sessionRoutes.map(signedIn),
    { method: 'GET', path: '/', handle: staticFile },
    { method: 'GET', path: '/{proxy+}', handle: staticFile },
    { method: 'HEAD', path: '/{proxy+}', handle: staticFile },
  ]);

  const respond = async (request: ApiRequest): Promise<ApiResponse> => {
    // Before any route: a write from another origin, or a body over the limit, is refused unread.
    if (request.method === 'POST' && !isSameOrigin(request.headers))
      throw new ApiError(403, 'cross-origin request');
    assertBodySize(request);
    return route(request);
  };

  /** Never throws: a refusal is a 4xx `{ error }`, anything unexpected a 500 without details. */
  return async (request: ApiRequest): Promise<ApiResponse> => {
    let response: ApiResponse;
    try {
      response = await respond(request);
    } catch (error) {
      if (error instanceof ApiError) {
        response = errorResponse(error.status, error.message);
        if (error.status === 429 && error.retryAfterSeconds !== undefined) {
          response.headers['retry-after'] = String(error.retryAfterSeconds);
        }
      } else {
        deps.logger.error('ui request failed', {
          path: request.path,
          errorClass: error instanceof Error ? error.name : typeof error,
          error: error instanceof Error ? error.message : String(error),
        });
        response = errorResponse(500, 'internal error; see the function logs');
      }
    }
    return isHttps(request.headers)
      ? { ...response, headers: { ...response.headers, ...hstsHeader } }
      : response;
  };
};
