import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless sessions for the UI. A Lambda function URL has no session store shared across containers,
 * so the session is an HMAC-signed, expiring cookie whose key is derived from the access token:
 * rotating the token (SSM) ends every session. CSRF uses a token derived from the same session
 * (a signed double-submit): the page holds it in memory and sends it in a header on every write.
 */
export const SessionCookie = { name: 'orders_session', version: 'v2' } as const;

/**
 * The cookie's name. Over https it carries the `__Host-` prefix, so browsers accept it only with
 * Secure, `Path=/` and no Domain: a sibling subdomain or a plain-http page cannot plant or overwrite
 * it. Browsers refuse a `__Host-` cookie without Secure, and a local http adapter cannot set Secure
 * cookies, so locally (http://127.0.0.1) the plain name is used; that page is reachable from this
 * machine only.
 */
export const sessionCookieName = (secure: boolean): string =>
  secure ? `__Host-${SessionCookie.name}` : SessionCookie.name;
export { CsrfHeader } from '../contract/headers.js';

/** Sessions last eight hours, one operator shift. */
export const sessionTtlMs = 8 * 60 * 60 * 1000;

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** Constant-time equality of two strings of any length (hashing first evens out the lengths). */
export const safeEqual = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** The signing key of sessions, derived from the access token; never the token itself. */
export const deriveSessionKey = (accessToken: string): Buffer =>
  createHmac('sha256', accessToken).update('orders-ui/session-key/v1').digest();

const mac = (key: Buffer, text: string): string => base64url(createHmac('sha256', key).update(text).digest());

export interface Session {
  /** The operator signed in: logs and the redrive ledger record it. */
  readonly operator: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

/** A new session's cookie value: `v2.<expiresAt>.<operator, base64url>.<nonce>.<mac>`. */
export const signSession = (
  key: Buffer,
  now: number,
  operator: string,
  nonce = base64url(randomBytes(16)),
): string => {
  const payload = `${SessionCookie.version}.${now + sessionTtlMs}.${base64url(Buffer.from(operator))}.${nonce}`;
  return `${payload}.${mac(key, payload)}`;
};

/** The session a cookie value proves, or undefined when it is malformed, forged or expired. */
export const verifySession = (key: Buffer, value: string | undefined, now: number): Session | undefined => {
  if (value === undefined || value.length > 300) return undefined;
  const parts = value.split('.');
  if (parts.length !== 5) return undefined;
  const [version, expires, name, nonce, signature] = parts as [string, string, string, string, string];
  if (
    version !== SessionCookie.version ||
    !/^\d{1,15}$/.test(expires) ||
    !/^[\w-]{1,90}$/.test(name) ||
    !/^[\w-]{8,64}$/.test(nonce)
  ) {
    return undefined;
  }
  if (!safeEqual(signature, mac(key, `${version}.${expires}.${name}.${nonce}`))) return undefined;
  const expiresAt = Number(expires);
  const operator = Buffer.from(name, 'base64url').toString('utf8');
  return expiresAt > now ? { operator, nonce, expiresAt } : undefined;
};

/** The CSRF token bound to a session. */
export const csrfTokenFor = (key: Buffer, session: Session): string => mac(key, `csrf.${session.nonce}`);

/** Whether a request's CSRF header matches its session. */
export const verifyCsrf = (key: Buffer, session: Session, header: string | undefined): boolean =>
  header !== undefined && safeEqual(header, csrfTokenFor(key, session));

/**
 * The `Set-Cookie` value of a session: HttpOnly, SameSite=Strict, `Path=/` without Domain, and Secure
 * with the `__Host-` prefix unless local over http.
 */
export const sessionCookie = (value: string, options: { secure: boolean; maxAgeSeconds: number }): string =>
  [
    `${sessionCookieName(options.secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');

/**
 * Whether a write comes from the UI's own origin. Browsers send `Origin` on every POST; a request with
 * another origin, or marked cross-site by Fetch Metadata, is refused. Clients without either header
 * (curl) still need the session cookie and the CSRF header, which no other site can read.
 */
export const isSameOrigin = (headers: Readonly<Record<string, string | undefined>>): boolean => {
  if (headers['sec-fetch-site'] === 'cross-site' || headers['sec-fetch-site'] === 'same-site') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  const host = headers.host;
  if (host === undefined) return false;
  const proto = headers['x-forwarded-proto'] ?? 'https';
  return origin === `${proto}://${host}`;
};
