import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SwitchProxy {
  readonly url: string;
  /** Sends every later request to `targets[index]`, as a load balancer may between Lambda environments. */
  switchTo(index: number): void;
  stop(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of several UI servers, sending each request to the current one. */
export const startSwitchProxy = async (targets: readonly string[]): Promise<SwitchProxy> => {
  let current = 0;
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '/', targets[current]);
    const upstream = request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ error: `proxy: ${error.message}` }));
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    switchTo: (index) => {
      current = index;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
