import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AppConfig } from '../../shared/adapters/config.js';
import type { TopicReaderOptions } from '../../shared/adapters/topic-reader.js';
import { maxBodyBytes } from '../../shared/ui-api/http.js';
import { createUiHandler } from '../../shared/ui-api/ui-handler.js';
import { uiAssets } from '../../ui/generated/assets.js';
import { createLambdaContext } from './runner/lambda-context.js';

export interface LocalUiOptions {
  readonly accessToken: string;
  /** Default 3000; when taken, a free port is used instead. 0 asks for a free port at once. */
  readonly port?: number;
  readonly host?: string;
  readonly config?: AppConfig;
  readonly consumerGroups?: ReadonlyArray<{
    readonly groupId: string;
    readonly role: 'orders' | 'retry' | 'dlq';
  }>;
  readonly readerOptions?: TopicReaderOptions;
}

export interface LocalUi {
  readonly url: string;
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      // Past the API's limit the rest is not kept; what is kept is still over the limit, so the API
      // answers 413, never a parse error of a cut-off body.
      if (size <= maxBodyBytes) chunks.push(chunk);
      size += chunk.byteLength;
    });
    request.on('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** Turns a node:http request into the function URL event (payload format 2.0) AWS would send. */
const toEvent = (
  request: IncomingMessage,
  body: Buffer | undefined,
  port: number,
): APIGatewayProxyEventV2 => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http';
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: request.headers.host ?? `localhost:${port}`,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body === undefined ? {} : { body: body.toString('base64') }),
    isBase64Encoded: body !== undefined,
  };
};

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

/**
 * Serves the UI function's handler on a local port: a thin node:http to function URL adapter, so the
 * browser talks to exactly the code that runs on Lambda.
 */
export const startLocalUi = async (options: LocalUiOptions): Promise<LocalUi> => {
  const handler = createUiHandler({
    assets: uiAssets,
    accessToken: options.accessToken,
    ...(options.config ? { config: options.config } : {}),
    ...(options.consumerGroups ? { consumerGroups: options.consumerGroups } : {}),
    ...(options.readerOptions ? { readerOptions: options.readerOptions } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  let port = 0;
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const result = await handler(toEvent(request, body, port), createLambdaContext('ui', 15, 512));
        response.statusCode = result.statusCode ?? 200;
        for (const [name, value] of Object.entries(result.headers ?? {}))
          response.setHeader(name, String(value));
        if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
        response.end(
          result.body === undefined
            ? undefined
            : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
        );
      } catch {
        response.statusCode = 500;
        response.end();
      }
    })();
  });
  try {
    port = await listen(server, options.port ?? 3000, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
    port = await listen(server, 0, host);
  }
  return {
    url: `http://${host}:${port}/`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      // Running redrive jobs stop, and the operator service's Kafka clients close.
      await handler.close();
    },
  };
};
