import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AppConfig, getConfig } from '../adapters/config.js';
import { createLogger } from '../adapters/logger.js';
import { createUiApi } from './api.js';
import { type ApiRequest, type ApiResponse, maxBodyBytes, parseCookies } from './http.js';
import type { TopicRole } from './requests.js';
import type { StaticAssets } from './static-assets.js';
import type { TopicReaderOptions } from './topic-reader.js';

/*
 * kafkajs and the AWS SDK load on first use, not at import: a cold container that serves the page, a
 * login or a 401 never pays for them (the bench's `cold_init_ms` of the ui bundle measures this).
 */
const kafkaAdapters = () => Promise.all([import('../adapters/producer.js'), import('./topic-reader.js')]);

/** The consumer groups whose lag the UI shows: the `consumerGroupId`s of serverless.yml. */
export const defaultConsumerGroups = [
  { groupId: 'orders-main-consumer', role: 'orders' },
  { groupId: 'orders-retry-consumer', role: 'retry' },
] as const satisfies ReadonlyArray<{ groupId: string; role: TopicRole }>;

export interface UiHandlerOptions {
  readonly assets: StaticAssets;
  readonly config?: AppConfig;
  /** The token itself (local adapter, tests). Without it: SSM (`UI_TOKEN_PARAMETER`) or `UI_ACCESS_TOKEN`. */
  readonly accessToken?: string;
  readonly consumerGroups?: ReadonlyArray<{ readonly groupId: string; readonly role: TopicRole }>;
  readonly readerOptions?: TopicReaderOptions;
}

// Cached for five minutes, like the Kafka secrets: a rotated token applies without a redeploy.
const tokenMaxAgeSeconds = 300;

const tokenSource = (options: UiHandlerOptions, config: AppConfig): (() => Promise<string>) => {
  if (options.accessToken !== undefined) {
    const token = options.accessToken;
    return async () => token;
  }
  const parameter = config.uiTokenParameter;
  if (parameter !== undefined) {
    return async () => {
      // Imported lazily: locally there is no SSM and the SDK is not needed.
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      const token = await getParameter(parameter, { decrypt: true, maxAge: tokenMaxAgeSeconds });
      if (!token) throw new Error(`SSM parameter ${parameter} is empty`);
      return token;
    };
  }
  const local = config.uiAccessToken;
  if (local === undefined)
    throw new Error('Environment variable UI_TOKEN_PARAMETER or UI_ACCESS_TOKEN is required');
  return async () => local;
};

/** A function URL event (payload format 2.0) as the API's plain request. */
export const toApiRequest = (event: APIGatewayProxyEventV2): ApiRequest => {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  let bodyBytes = 0;
  if (event.body !== undefined && event.body !== null) {
    // An oversized body is not decoded: its size alone earns the 413.
    if (event.body.length > maxBodyBytes * 2) bodyBytes = event.body.length;
    else {
      const bytes = event.isBase64Encoded
        ? Buffer.from(event.body, 'base64')
        : Buffer.from(event.body, 'utf8');
      body = bytes.toString('utf8');
      bodyBytes = bytes.byteLength;
    }
  }
  // An adapter that stopped reading a long body still reports its declared length.
  const declared = Number(headers['content-length'] ?? 0);
  if (Number.isSafeInteger(declared) && declared > bodyBytes) bodyBytes = declared;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    cookies: parseCookies([...(event.cookies ?? []), ...(headers.cookie ? [headers.cookie] : [])]),
    body,
    bodyBytes,
    sourceIp: event.requestContext.http.sourceIp,
  };
};

/** The API's response as a function URL result. */
export const toLambdaResult = (response: ApiResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.status,
  headers: response.headers,
  ...(response.cookies ? { cookies: [...response.cookies] } : {}),
  ...(Buffer.isBuffer(response.body)
    ? { body: response.body.toString('base64'), isBase64Encoded: true }
    : { body: response.body, isBase64Encoded: false }),
});

/**
 * Builds the UI function's handler: static files and the JSON API. The local adapter and the tests
 * build the same handler with an injected config and token, as `createConsumerHandler` does.
 */
export const createUiHandler = (options: UiHandlerOptions) => {
  const logger = createLogger();
  let api: ReturnType<typeof createUiApi> | undefined;
  const build = () => {
    const config = options.config ?? getConfig();
    const groups = options.consumerGroups ?? defaultConsumerGroups;
    const reader = async () => {
      const [, { getTopicReader, defaultReaderOptions }] = await kafkaAdapters();
      return getTopicReader(config, options.readerOptions ?? defaultReaderOptions);
    };
    return createUiApi({
      topics: config.topics,
      reader,
      stats: async () => (await reader()).stats(groups),
      publish: async (messages) => {
        const [{ publishAll }] = await kafkaAdapters();
        await publishAll(config, messages);
      },
      accessToken: tokenSource(options, config),
      secureCookies: options.accessToken === undefined && config.uiTokenParameter !== undefined,
      assets: options.assets,
      now: Date.now,
      logger,
    });
  };

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    api ??= build();
    return toLambdaResult(await api(toApiRequest(event)));
  };

  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
};
