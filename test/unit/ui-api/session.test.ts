import { describe, expect, it } from 'vitest';
import {
  csrfTokenFor,
  deriveSessionKey,
  isSameOrigin,
  safeEqual,
  sessionCookie,
  sessionTtlMs,
  signSession,
  verifyCsrf,
  verifySession,
} from '../../../shared/ui-api/session.js';

const key = deriveSessionKey('the-access-token');
const now = 1_750_000_000_000;

describe('session cookies', () => {
  it('verifies a session it signed until it expires', () => {
    // Prepare
    const value = signSession(key, now, 'alice', 'nonce-0123456789');

    // Act
    const fresh = verifySession(key, value, now + 1_000);
    const expired = verifySession(key, value, now + sessionTtlMs);

    // Assess
    expect(fresh).toEqual({ operator: 'alice', nonce: 'nonce-0123456789', expiresAt: now + sessionTtlMs });
    expect(expired).toBeUndefined();
  });

  it('rejects a tampered, malformed or foreign-key cookie', () => {
    // Prepare
    const value = signSession(key, now, 'alice');
    const [version, expires, name, nonce, mac] = value.split('.');
    const longer = `${version}.${Number(expires) + 1_000_000}.${name}.${nonce}.${mac}`;
    const renamed = `${version}.${expires}.${Buffer.from('root').toString('base64url')}.${nonce}.${mac}`;

    // Act
    const results = [
      verifySession(key, longer, now),
      verifySession(key, renamed, now),
      verifySession(key, `${value}x`, now),
      verifySession(key, 'v1.1.2', now),
      verifySession(key, undefined, now),
      verifySession(deriveSessionKey('another-token'), value, now),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('never puts the token itself into the cookie', () => {
    // Act
    const value = signSession(key, now, 'alice');

    // Assess
    expect(value).not.toContain('the-access-token');
    expect(key.toString('utf8')).not.toContain('the-access-token');
  });

  it('marks the cookie HttpOnly and SameSite=Strict, and Secure with the __Host- prefix when asked', () => {
    // Act
    const secure = sessionCookie('v', { secure: true, maxAgeSeconds: 60 });
    const local = sessionCookie('v', { secure: false, maxAgeSeconds: 60 });

    // Assess
    expect(secure).toBe('__Host-orders_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    expect(secure).not.toContain('Domain');
    expect(local).toBe('orders_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
  });
});

describe('CSRF and origin checks', () => {
  it('accepts only the CSRF token bound to the session', () => {
    // Prepare
    const session = { operator: 'alice', nonce: 'nonce-aaaaaaaa', expiresAt: now + 1 };
    const other = { operator: 'alice', nonce: 'nonce-bbbbbbbb', expiresAt: now + 1 };

    // Act & Assess
    expect(verifyCsrf(key, session, csrfTokenFor(key, session))).toBe(true);
    expect(verifyCsrf(key, session, csrfTokenFor(key, other))).toBe(false);
    expect(verifyCsrf(key, session, undefined)).toBe(false);
    expect(verifyCsrf(key, session, '')).toBe(false);
  });

  it('accepts the own origin and refuses another one or a cross-site fetch', () => {
    // Prepare
    const host = 'abc.lambda-url.eu-west-1.on.aws';

    // Act & Assess
    expect(isSameOrigin({ host, origin: `https://${host}` })).toBe(true);
    expect(
      isSameOrigin({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'x-forwarded-proto': 'http' }),
    ).toBe(true);
    expect(isSameOrigin({ host, origin: 'https://evil.example' })).toBe(false);
    expect(isSameOrigin({ host, origin: `http://${host}` })).toBe(false);
    expect(isSameOrigin({ host, 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(isSameOrigin({ host })).toBe(true);
  });

  it('compares strings of different lengths without throwing', () => {
    // Act & Assess
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });
});
