/**
 * The request and response shapes the UI API works on: a plain subset of a Lambda function URL event
 * (payload format 2.0), so the routing and the use-cases stay free of `aws-lambda` types.
 */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case names, as function URLs deliver them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly cookies: Readonly<Record<string, string>>;
  /** The decoded body, or undefined when there was none. */
  readonly body: string | undefined;
  /**
   * The body's full size in bytes. An adapter may stop reading (and keeping) a body past the limit,
   * so the size, not the text kept, decides a 413.
   */
  readonly bodyBytes?: number;
  /** The client's address (function URL `requestContext.http.sourceIp`), the key of the login throttle. */
  readonly sourceIp?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies?: readonly string[];
  /** Text, or bytes for a precompressed static asset. */
  readonly body: string | Buffer;
}

/** A request the API refuses; its message is safe to show the client. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For a 429: when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Request bodies above this are refused before they are parsed. */
export const maxBodyBytes = 256 * 1024;

/** Whether a request came over https. Function URLs are https only and say so; the local adapter says http. */
export const isHttps = (headers: Readonly<Record<string, string | undefined>>): boolean =>
  (headers['x-forwarded-proto'] ?? 'https') === 'https';

/**
 * HSTS on responses served over https: a browser that has seen the UI once never again sends its
 * session cookie over plain http to that host. Not sent over http, where browsers ignore it anyway.
 */
export const hstsHeader = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } as const;

/** The request body's size in bytes, as the adapter measured it or from the body kept. */
export const bodySize = (request: ApiRequest): number =>
  request.bodyBytes ?? (request.body === undefined ? 0 : Buffer.byteLength(request.body, 'utf8'));

/** Refuses a body over the limit with a message that says so (not a misleading parse error). */
export const assertBodySize = (request: ApiRequest): void => {
  const size = bodySize(request);
  if (size > maxBodyBytes) {
    throw new ApiError(
      413,
      `request body is ${size} bytes; the limit is ${maxBodyBytes} bytes (${maxBodyBytes / 1024} KiB)`,
    );
  }
};

/** Headers on every response. CSP: no inline script, no eval, nothing from another origin, no framing. */
export const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** A JSON response; API responses are never cached. */
export const json = (status: number, value: unknown, cookies?: readonly string[]): ApiResponse => ({
  status,
  headers: {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  },
  ...(cookies ? { cookies } : {}),
  body: JSON.stringify(value),
});

/** The `{ error }` body of every refusal. */
export const errorResponse = (status: number, reason: string): ApiResponse => json(status, { error: reason });

/** Parses a `Cookie` header (or a function URL's `cookies` array) into a map; the first value wins. */
export const parseCookies = (cookieHeaders: readonly string[]): Record<string, string> => {
  const cookies: Record<string, string> = {};
  for (const header of cookieHeaders) {
    for (const part of header.split(';')) {
      const at = part.indexOf('=');
      if (at <= 0) continue;
      const name = part.slice(0, at).trim();
      if (name !== '' && !(name in cookies)) cookies[name] = part.slice(at + 1).trim();
    }
  }
  return cookies;
};

/** Parses a JSON body of bounded size, or refuses the request. */
export const parseJsonBody = (request: ApiRequest): unknown => {
  assertBodySize(request);
  const body = request.body ?? '';
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'content-type must be application/json');
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ApiError(400, 'request body is not valid JSON');
  }
};
