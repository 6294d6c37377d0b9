import type { OutboundMessage } from '../domain/failure-routing.js';
import type { Topics } from '../domain/topics.js';
import { ApiError, type ApiRequest, type ApiResponse, errorResponse, json, parseJsonBody } from './http.js';
import type { MessageLog, PartitionOffsets } from './message-log.js';
import { buildProduceMessage, planRedriveRequest } from './operations.js';
import { RenderLimits, toMessageView } from './render.js';
import {
  type Cursor,
  decodeCursor,
  encodeCursor,
  isTopicRole,
  parseCoordinate,
  parseLogin,
  parseProduce,
  parseRedrive,
  type TopicRole,
  topicRoles,
} from './requests.js';
import {
  CsrfHeader,
  csrfTokenFor,
  deriveSessionKey,
  isSameOrigin,
  type Session,
  SessionCookie,
  safeEqual,
  sessionCookie,
  sessionTtlMs,
  signSession,
  verifyCsrf,
  verifySession,
} from './session.js';
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
  readonly accessToken: () => Promise<string>;
  /** Secure cookies everywhere but a local http adapter. */
  readonly secureCookies: boolean;
  readonly assets: StaticAssets;
  readonly now: () => number;
  readonly logger: AuditLogger;
}

export const ListLimits = { default: 100, max: 200 } as const;

const topicNames = (topics: Topics) => ({ orders: topics.orders, retry: topics.retry, dlq: topics.dlq });

/**
 * The UI's JSON API and static files, as one function from request to response. Every `/api` route
 * but login needs a valid session; every POST needs the same origin, and every POST after login the
 * session's CSRF token.
 */
export const createUiApi = (deps: UiApiDependencies) => {
  const sessionKey = async () => deriveSessionKey(await deps.accessToken());

  const authenticate = async (request: ApiRequest): Promise<{ key: Buffer; session: Session }> => {
    const key = await sessionKey();
    const session = verifySession(key, request.cookies[SessionCookie.name], deps.now());
    if (session === undefined) throw new ApiError(401, 'not signed in');
    if (request.method === 'POST' && !verifyCsrf(key, session, request.headers[CsrfHeader])) {
      throw new ApiError(403, 'missing or wrong CSRF token');
    }
    return { key, session };
  };

  const login = async (request: ApiRequest): Promise<ApiResponse> => {
    const { token } = parseLogin(parseJsonBody(request));
    const expected = await deps.accessToken();
    if (!safeEqual(token, expected)) throw new ApiError(401, 'wrong access token');
    const key = deriveSessionKey(expected);
    const value = signSession(key, deps.now());
    const session = verifySession(key, value, deps.now()) as Session;
    deps.logger.info('ui login', {});
    const cookie = sessionCookie(value, { secure: deps.secureCookies, maxAgeSeconds: sessionTtlMs / 1000 });
    return json(200, { csrfToken: csrfTokenFor(key, session), topics: topicNames(deps.topics) }, [cookie]);
  };

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

  const details = async (role: string, partition: string, offset: string): Promise<ApiResponse> => {
    if (!isTopicRole(role)) throw new ApiError(404, 'unknown topic');
    const at = parseCoordinate(partition, offset);
    const reader = await deps.reader();
    const record = reader.log(role).find(at.partition, at.offset);
    if (record === undefined) throw new ApiError(404, 'message is not among the latest ones the UI holds');
    return json(200, toMessageView(record, RenderLimits.detailValueBytes));
  };

  const produce = async (request: ApiRequest): Promise<ApiResponse> => {
    const message = buildProduceMessage(parseProduce(parseJsonBody(request)), deps.topics);
    await deps.publish([message]);
    deps.logger.info('ui produce', { topic: message.topic });
    return json(200, { produced: { topic: message.topic, key: message.key?.toString('utf8') ?? null } });
  };

  const redrive = async (request: ApiRequest): Promise<ApiResponse> => {
    const input = parseRedrive(parseJsonBody(request));
    const reader = await deps.reader();
    // A thawed container may hold an old buffer: catch up first, so the plan sees the current DLQ and
    // the redrives already made.
    await reader.refresh();
    const outcome = planRedriveRequest({
      dlq: reader.log('dlq'),
      redriven: [...reader.log('orders').all(), ...reader.log('retry').all()],
      request: input,
      topics: deps.topics,
      now: deps.now(),
    });
    if (!input.dryRun && outcome.messages.length > 0) await deps.publish(outcome.messages);
    deps.logger.info('ui redrive', {
      target: input.target,
      dryRun: input.dryRun,
      force: input.force,
      scanned: outcome.scanned,
      planned: outcome.planned.length,
      skipped: outcome.skipped.length,
      alreadyRedriven: outcome.alreadyRedriven.length,
    });
    return json(200, {
      dryRun: input.dryRun,
      published: input.dryRun ? 0 : outcome.messages.length,
      scanned: outcome.scanned,
      window: outcome.window,
      planned: outcome.planned,
      skipped: outcome.skipped,
      alreadyRedriven: outcome.alreadyRedriven,
    });
  };

  const route = async (request: ApiRequest): Promise<ApiResponse> => {
    const { method, path } = request;
    if (!path.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'method not allowed');
      if (path === '/favicon.ico') return { status: 204, headers: {}, body: '' };
      const asset = serveStatic(deps.assets, path, request.headers);
      if (asset === undefined) throw new ApiError(404, 'not found');
      return asset;
    }
    if (method === 'POST' && !isSameOrigin(request.headers)) throw new ApiError(403, 'cross-origin request');
    if (method === 'POST' && path === '/api/login') return login(request);
    const { key, session } = await authenticate(request);
    const detail = /^\/api\/messages\/([a-z]+)\/(\d+)\/(\d+)$/.exec(path);
    switch (`${method} ${detail ? '/api/messages/:role/:partition/:offset' : path}`) {
      case 'GET /api/session':
        return json(200, { csrfToken: csrfTokenFor(key, session), topics: topicNames(deps.topics) });
      case 'POST /api/logout':
        return json(200, {}, [sessionCookie('', { secure: deps.secureCookies, maxAgeSeconds: 0 })]);
      case 'GET /api/messages':
        return messages(request);
      case 'GET /api/messages/:role/:partition/:offset':
        return details(detail?.[1] ?? '', detail?.[2] ?? '', detail?.[3] ?? '');
      case 'GET /api/stats':
        return json(200, await deps.stats());
      case 'POST /api/produce':
        return produce(request);
      case 'POST /api/redrive':
        return redrive(request);
      default:
        throw new ApiError(404, 'no such route');
    }
  };

  /** Never throws: a refusal is a 4xx `{ error }`, anything unexpected a 500 without details. */
  return async (request: ApiRequest): Promise<ApiResponse> => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.status, error.message);
      deps.logger.error('ui request failed', {
        path: request.path,
        errorClass: error instanceof Error ? error.name : typeof error,
        error: error instanceof Error ? error.message : String(error),
      });
      return errorResponse(500, 'internal error; see the function logs');
    }
  };
};
