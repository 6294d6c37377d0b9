import { describe, expect, it, vi } from 'vitest';
import { createClientCache } from '../../../shared/adapters/client-cache.js';
import { readConfig } from '../../../shared/adapters/config.js';

const config = readConfig({});

describe('createClientCache', () => {
  it('creates one client per configuration and reuses it', async () => {
    // Prepare
    const create = vi.fn(async () => ({ id: Math.random() }));
    const cache = createClientCache(create, async () => undefined);

    // Act
    const [first, second] = await Promise.all([cache.get(config), cache.get(config)]);

    // Assess
    expect(first).toBe(second);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed creation, so the next call tries again', async () => {
    // Prepare
    const create = vi.fn().mockRejectedValueOnce(new Error('broker down')).mockResolvedValueOnce('client');
    const cache = createClientCache<string>(create, async () => undefined);

    // Act
    const failed = cache.get(config);

    // Assess
    await expect(failed).rejects.toThrow('broker down');
    await expect(cache.get(config)).resolves.toBe('client');
  });

  it('closes and forgets a discarded client, and closes all on shutdown', async () => {
    // Prepare
    const close = vi.fn(async (_client: number) => undefined);
    let next = 0;
    const cache = createClientCache(async () => ++next, close);
    const first = cache.get(config);

    // Act
    await cache.discard(config, first);
    const second = await cache.get(config);
    await cache.closeAll();

    // Assess
    expect(second).toBe(2);
    expect(close.mock.calls.map(([client]) => client)).toEqual([1, 2]);
  });
});
