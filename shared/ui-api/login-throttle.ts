/**
 * Throttles failed logins per client: after `maxFailures` failures inside `windowMs`, the client is
 * refused for `blockMs` (429) without the token even being compared. Pure: the caller passes the
 * time. State lives in one container's memory, so on Lambda each container counts on its own; that
 * still turns an online guess of a 32-byte token from "unbounded" into a few attempts a minute per
 * container. The map is bounded, oldest entry evicted first, so a flood of addresses cannot grow it.
 */
export interface LoginThrottleLimits {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  readonly maxClients: number;
}

export const defaultLoginThrottleLimits = {
  maxFailures: 5,
  windowMs: 5 * 60_000,
  blockMs: 5 * 60_000,
  maxClients: 10_000,
} as const satisfies LoginThrottleLimits;

interface ClientState {
  failures: number;
  windowStart: number;
  blockedUntil: number;
}

export interface LoginThrottle {
  /** Milliseconds the client must still wait, or 0 when it may try. */
  retryAfterMs(client: string, now: number): number;
  /** Counts a failed login; returns the wait it now incurs (0 while under the limit). */
  recordFailure(client: string, now: number): number;
  /** A successful login forgets the client's failures. */
  recordSuccess(client: string): void;
  readonly size: number;
}

export const createLoginThrottle = (
  limits: LoginThrottleLimits = defaultLoginThrottleLimits,
): LoginThrottle => {
  const clients = new Map<string, ClientState>();

  const retryAfterMs = (client: string, now: number): number => {
    const state = clients.get(client);
    return state === undefined ? 0 : Math.max(0, state.blockedUntil - now);
  };

  const recordFailure = (client: string, now: number): number => {
    let state = clients.get(client);
    if (state === undefined || now - state.windowStart >= limits.windowMs) {
      state = { failures: 0, windowStart: now, blockedUntil: state?.blockedUntil ?? 0 };
    }
    // Re-inserting moves the client to the end of the map's order: the eviction below drops the
    // least recently failed client first.
    clients.delete(client);
    state.failures += 1;
    if (state.failures >= limits.maxFailures) {
      state.blockedUntil = now + limits.blockMs;
      state.failures = 0;
      state.windowStart = now;
    }
    clients.set(client, state);
    while (clients.size > limits.maxClients) {
      const oldest = clients.keys().next().value;
      if (oldest === undefined) break;
      clients.delete(oldest);
    }
    return retryAfterMs(client, now);
  };

  return {
    retryAfterMs,
    recordFailure,
    recordSuccess: (client) => {
      clients.delete(client);
    },
    get size() {
      return clients.size;
    },
  };
};
