import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../../shared/ui-api/login-throttle.js';

const limits = { maxFailures: 3, windowMs: 60_000, blockMs: 120_000, maxClients: 2 } as const;
const t0 = 1_750_000_000_000;

describe('login throttle', () => {
  it('lets a client try until its failures reach the limit, then blocks it for the block time', () => {
    // Prepare
    const throttle = createLoginThrottle(limits);

    // Act
    const waits = [
      throttle.recordFailure('10.0.0.1', t0),
      throttle.recordFailure('10.0.0.1', t0 + 1_000),
      throttle.recordFailure('10.0.0.1', t0 + 2_000),
    ];

    // Assess
    expect(waits).toEqual([0, 0, 120_000]);
    expect(throttle.retryAfterMs('10.0.0.1', t0 + 62_000)).toBe(60_000);
    expect(throttle.retryAfterMs('10.0.0.1', t0 + 122_000)).toBe(0);
    expect(throttle.retryAfterMs('10.0.0.2', t0 + 2_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    // Prepare
    const throttle = createLoginThrottle(limits);
    throttle.recordFailure('10.0.0.1', t0);
    throttle.recordFailure('10.0.0.1', t0 + 1_000);

    // Act
    const wait = throttle.recordFailure('10.0.0.1', t0 + 61_000);

    // Assess
    expect(wait).toBe(0);
  });

  it('forgets a client that signs in successfully', () => {
    // Prepare
    const throttle = createLoginThrottle(limits);
    throttle.recordFailure('10.0.0.1', t0);
    throttle.recordFailure('10.0.0.1', t0);

    // Act
    throttle.recordSuccess('10.0.0.1');
    const wait = throttle.recordFailure('10.0.0.1', t0);

    // Assess
    expect(wait).toBe(0);
  });

  it('keeps at most maxClients clients, evicting the least recently failed', () => {
    // Prepare
    const throttle = createLoginThrottle(limits);
    for (let i = 0; i < 3; i += 1) throttle.recordFailure('10.0.0.1', t0);

    // Act
    throttle.recordFailure('10.0.0.2', t0);
    throttle.recordFailure('10.0.0.3', t0);

    // Assess
    expect(throttle.size).toBe(2);
    expect(throttle.retryAfterMs('10.0.0.1', t0)).toBe(0);
  });
});
