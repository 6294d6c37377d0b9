import type { AppConfig } from './config.js';

/**
 * One long-lived client per configuration, created on first use and reused by every later invocation
 * of the container. A failed creation is forgotten, so the next call tries again instead of inheriting
 * a rejected promise. A Lambda container has one configuration; tests and the local runner may have more.
 */
export interface ClientCache<T> {
  get(config: AppConfig): Promise<T>;
  /** Forgets `client` if it is still the cached one for `config`, and closes it. */
  discard(config: AppConfig, client: Promise<T>): Promise<void>;
  /** Closes every client (shutdown, tests). */
  closeAll(): Promise<void>;
}

export const createClientCache = <T>(
  create: (config: AppConfig) => Promise<T>,
  close: (client: T) => Promise<void>,
): ClientCache<T> => {
  const clients = new Map<AppConfig, Promise<T>>();
  const closeQuietly = async (client: Promise<T>): Promise<void> => {
    const settled = await client.catch(() => undefined);
    if (settled !== undefined) await close(settled).catch(() => undefined);
  };
  return {
    get: (config) => {
      let client = clients.get(config);
      if (client === undefined) {
        client = create(config).catch((error: unknown) => {
          clients.delete(config);
          throw error;
        });
        clients.set(config, client);
      }
      return client;
    },
    discard: async (config, client) => {
      if (clients.get(config) === client) clients.delete(config);
      await closeQuietly(client);
    },
    closeAll: async () => {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map(closeQuietly));
    },
  };
};
