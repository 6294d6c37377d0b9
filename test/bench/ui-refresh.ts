import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { createLambdaContext } from '../../infra/local/runner/lambda-context.js';
import { readConfig } from '../../shared/adapters/config.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { createUiHandler } from '../../shared/ui-api/ui-handler.js';
import { uiAssets } from '../../ui/generated/assets.js';

const event = (
  method: string,
  path: string,
  options: { query?: string; cookies?: string[]; headers?: Record<string, string>; body?: string } = {},
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: { host: 'bench.local', 'x-forwarded-proto': 'http', ...options.headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Latency of a warm UI refresh: one `GET /api/messages` with the previous cursor, which brings all three
 * topics up to date (end offsets from the broker, new records from the long-lived reader), invoked
 * through the real function URL handler against the local broker. In milliseconds.
 */
export const measureUiRefresh = async (options: {
  brokers: string;
  samples: number;
}): Promise<{ p50: number; p95: number }> => {
  await ensureTopics(options.brokers);
  const config = readConfig({ KAFKA_BROKERS: options.brokers, POWERTOOLS_LOG_LEVEL: 'ERROR' });
  const token = randomBytes(16).toString('base64url');
  const handler = createUiHandler({ assets: uiAssets, accessToken: token, config });
  const context: Context = createLambdaContext('ui', 15, 512);
  try {
    const login = await handler(
      event('POST', '/api/login', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      }),
      context,
    );
    const cookies = (login.cookies ?? []).map((cookie) => cookie.split(';')[0] ?? '');
    const refresh = async (cursor: string) => {
      const response = await handler(
        event('GET', '/api/messages', { cookies, query: cursor ? `cursor=${cursor}` : '' }),
        context,
      );
      if (response.statusCode !== 200) throw new Error(`refresh failed: HTTP ${response.statusCode}`);
      return (JSON.parse(response.body ?? '{}') as { cursor: string }).cursor;
    };
    // Cold: the reader joins its group once. Then a few warm-ups.
    let cursor = await refresh('');
    for (let i = 0; i < 5; i += 1) cursor = await refresh(cursor);
    const timings: number[] = [];
    for (let i = 0; i < options.samples; i += 1) {
      const startedAt = performance.now();
      cursor = await refresh(cursor);
      timings.push(performance.now() - startedAt);
    }
    timings.sort((a, b) => a - b);
    return { p50: round(percentile(timings, 50)), p95: round(percentile(timings, 95)) };
  } finally {
    await closeTopicReaders();
  }
};

/** Bytes the browser transfers for the page and its assets (gzip, as served), in KB. */
export const measureUiPageKb = async (): Promise<number> => {
  const handler = createUiHandler({
    assets: uiAssets,
    accessToken: 'unused',
    config: readConfig({ KAFKA_BROKERS: '127.0.0.1:1' }),
  });
  const context = createLambdaContext('ui', 15, 512);
  let bytes = 0;
  for (const path of Object.keys(uiAssets)) {
    const response = await handler(
      event('GET', path, { headers: { 'accept-encoding': 'gzip, deflate, br' } }),
      context,
    );
    bytes += Buffer.from(response.body ?? '', response.isBase64Encoded ? 'base64' : 'utf8').byteLength;
  }
  return round(bytes / 1024);
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const refresh = await measureUiRefresh({ brokers, samples: Number(process.env.SAMPLES ?? 200) });
  process.stdout.write(
    `${JSON.stringify({ ui_refresh_ms: refresh, ui_page_kb: await measureUiPageKb() })}\n`,
  );
  process.exit(0);
}
