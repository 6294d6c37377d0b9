import type { Topics } from '../domain/topics.js';
import { type NamedToken, operatorForToken, parseTokenStore } from '../operator/operators.js';
import { ApiError, type ApiRequest, type ApiResponse, json, parseJsonBody } from './http.js';
import type { LoginThrottle } from './login-throttle.js';
import { parseLogin } from './requests.js';
import {
  CsrfHeader,
  csrfTokenFor,
  deriveSessionKey,
  type Session,
  sessionCookie,
  sessionCookieName,
  sessionTtlMs,
  signSession,
  verifyCsrf,
  verifySession,
} from './session.js';

export interface AuthDependencies {
  /** The operators' tokens as the secret store holds them (see api.ts). */
  readonly accessToken: () => Promise<string>;
  readonly secureCookies: boolean;
  readonly now: () => number;
  readonly logger: { info(message: string, fields: Record<string, unknown>): void };
  readonly throttle: LoginThrottle;
  readonly topics: Topics;
}

const topicNames = (topics: Topics) => ({ orders: topics.orders, retry: topics.retry, dlq: topics.dlq });

/** Sign-in with a named token, and the session and CSRF checks of every other request. */
export const createAuth = (deps: AuthDependencies) => {
  const throttle = deps.throttle;
  let parsedFrom: string | undefined;
  let parsed: NamedToken[] = [];
  const secrets = async () => {
    const text = await deps.accessToken();
    if (text !== parsedFrom) {
      parsed = parseTokenStore(text.trim());
      if (parsed.length === 0) throw new Error('the UI access token is empty');
      parsedFrom = text;
    }
    // The whole secret keys the sessions: rotating any operator's token ends every session.
    return { operators: parsed, key: deriveSessionKey(text) };
  };
  const cookieName = sessionCookieName(deps.secureCookies);

  const authenticate = async (request: ApiRequest): Promise<{ key: Buffer; session: Session }> => {
    const { key } = await secrets();
    const session = verifySession(key, request.cookies[cookieName], deps.now());
    if (session === undefined) throw new ApiError(401, 'not signed in');
    if (request.method === 'POST' && !verifyCsrf(key, session, request.headers[CsrfHeader])) {
      throw new ApiError(403, 'missing or wrong CSRF token');
    }
    return { key, session };
  };

  const sessionBody = (key: Buffer, session: Session) => ({
    csrfToken: csrfTokenFor(key, session),
    operator: session.operator,
    topics: topicNames(deps.topics),
  });

  const login = async (request: ApiRequest): Promise<ApiResponse> => {
    const client = request.sourceIp ?? 'unknown';
    const waitMs = throttle.retryAfterMs(client, deps.now());
    if (waitMs > 0) throw tooManyAttempts(waitMs);
    const { token } = parseLogin(parseJsonBody(request));
    const { operators, key } = await secrets();
    const operator = operatorForToken(operators, token)?.name;
    if (operator === undefined) {
      const blockedMs = throttle.recordFailure(client, deps.now());
      deps.logger.info('ui login refused', { sourceIp: client, throttled: blockedMs > 0 });
      if (blockedMs > 0) throw tooManyAttempts(blockedMs);
      throw new ApiError(401, 'wrong access token');
    }
    throttle.recordSuccess(client);
    const value = signSession(key, deps.now(), operator);
    const session = verifySession(key, value, deps.now()) as Session;
    deps.logger.info('ui login', { operator });
    const cookie = sessionCookie(value, { secure: deps.secureCookies, maxAgeSeconds: sessionTtlMs / 1000 });
    return json(200, sessionBody(key, session), [cookie]);
  };

  return { login, authenticate, sessionBody };
};

const tooManyAttempts = (waitMs: number): ApiError => {
  const seconds = Math.ceil(waitMs / 1000);
  return new ApiError(429, `too many failed sign-ins from this address; try again in ${seconds} s`, seconds);
};
