import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it, the probe releases it. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolvePromise(address.port)
          : reject(new Error('no port assigned')),
      );
    });
  });
