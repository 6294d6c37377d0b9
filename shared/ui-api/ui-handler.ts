import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AppConfig, getConfig } from '../adapters/config.js';
import { createLogger } from '../adapters/logger.js';
import type { TopicReaderOptions } from '../adapters/topic-reader.js';
import { ConsumerGroups } from '../contract/topics.js';
import type { OperatorService } from '../operator/service.js';
import { createUiApi } from './api.js';
import { type ApiRequest, type ApiResponse, maxBodyBytes, parseCookies } from './http.js';
import { operatorRoutes } from './operator-routes.js';
import { createRedriveJobs } from './redrive-jobs.js';
import type { TopicRole } from './requests.js';
import type { StaticAssets } from './static-assets.js';
import { tokenSource } from './token-source.js';

/*
 * kafkajs and the AWS SDK load on first use, not at import: a cold container that serves the page, a
 * login or a 401 never pays for them (the bench's `cold_init_ms` of the ui bundle measures this).
 */
const kafkaAdapters = () =>
  Promise.all([import('../adapters/producer.js'), import('../adapters/topic-reader.js')]);
const operatorModules = () =>
  Promise.all([import('../adapters/operator-kafka.js'), import('../operator/service.js')]);

/** The consumer groups whose lag the UI shows: the `consumerGroupId`s of serverless.yml. */
export const defaultConsumerGroups = [
  { groupId: ConsumerGroups.main, role: 'orders' },
  { groupId: ConsumerGroups.retry, role: 'retry' },
] as const satisfies ReadonlyArray<{ groupId: string; role: TopicRole }>;

export interface UiHandlerOptions {
  readonly assets: StaticAssets;
  readonly config?: AppConfig;
  /** The tokens themselves (local adapter, tests); see token-source.ts for where they come from otherwise. */
  readonly accessToken?: string;
  readonly consumerGroups?: ReadonlyArray<{ readonly groupId: string; readonly role: TopicRole }>;
  readonly readerOptions?: TopicReaderOptions;
}

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
  const jobs = createRedriveJobs({ now: Date.now });
  let api: ReturnType<typeof createUiApi> | undefined;
  let ports: Promise<{ service: OperatorService; close: () => Promise<void> }> | undefined;

  const build = () => {
    const config = options.config ?? getConfig();
    const groups = options.consumerGroups ?? defaultConsumerGroups;
    const reader = async () => {
      const [, { getTopicReader, defaultReaderOptions }] = await kafkaAdapters();
      return getTopicReader(config, options.readerOptions ?? defaultReaderOptions);
    };
    // One operator service per container, created on first use, forgotten if its clients fail to start.
    const service = async (): Promise<OperatorService> => {
      ports ??= (async () => {
        const [{ createKafkaOperatorPorts }, { createOperatorService }] = await operatorModules();
        const kafkaPorts = await createKafkaOperatorPorts(config);
        const lagGroups = groups.map(({ groupId, role }) => ({ groupId, topic: config.topics[role] }));
        return { service: createOperatorService(kafkaPorts, { lagGroups }), close: () => kafkaPorts.close() };
      })().catch((error: unknown) => {
        ports = undefined;
        throw error;
      });
      return (await ports).service;
    };
    return createUiApi({
      topics: config.topics,
      reader,
      stats: async () => (await reader()).stats(groups),
      publish: async (messages) => {
        const [{ publishAll }] = await kafkaAdapters();
        await publishAll(config, messages);
      },
      service,
      accessToken: tokenSource(config, options.accessToken),
      secureCookies: options.accessToken === undefined && config.uiTokenParameter !== undefined,
      assets: options.assets,
      now: Date.now,
      logger,
      operatorRoutes: operatorRoutes({ service, jobs, logger }),
    });
  };

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    api ??= build();
    return toLambdaResult(await api(toApiRequest(event)));
  };

  const handler = middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
  /** Cancels running redrive jobs and closes the operator service's clients (local adapter, tests). */
  const close = async (): Promise<void> => {
    jobs.cancelAll();
    const open = ports;
    ports = undefined;
    if (open) await (await open.catch(() => undefined))?.close();
  };
  return Object.assign(handler, { close });
};
