import { ensureTopics } from '../../../infra/local/broker/index.js';
import { type LocalUi, startLocalUi } from '../../../infra/local/ui-server.js';
import { createTestKafka } from './kafka-client.js';
import type { Pipeline } from './pipeline.js';

/**
 * Starts the local UI server against a test pipeline, with the lag of its two consumer groups and
 * the pipeline's own redrive ledger topic (created compacted, deleted again on stop).
 */
/**
 * A local UI over the pipeline's topics. `ownsLedger` (default) deletes the ledger topic on stop; a second
 * UI over the same topics (another "container") leaves it to the first.
 */
export const startUiFor = async (
  pipeline: Pipeline,
  accessToken: string,
  options: { readonly ownsLedger?: boolean } = {},
): Promise<LocalUi> => {
  const id = pipeline.topics.orders.replace(/^orders-/, '').replace(/\.v1$/, '');
  const brokers = pipeline.config.brokers.join(',');
  await ensureTopics(brokers, { topics: [pipeline.config.ledgerTopic], partitions: 3 });
  const ui = await startLocalUi({
    accessToken,
    port: 0,
    config: pipeline.config,
    consumerGroups: [
      { groupId: `orders-main-consumer-${id}`, role: 'orders' },
      { groupId: `orders-retry-consumer-${id}`, role: 'retry' },
    ],
  });
  return {
    url: ui.url,
    stop: async () => {
      await ui.stop();
      if (options.ownsLedger === false) return;
      const admin = createTestKafka(brokers, { clientId: 'ui-cleanup', quiet: true }).admin();
      try {
        await admin.connect();
        await admin.deleteTopics({ topics: [pipeline.config.ledgerTopic] });
      } finally {
        await admin.disconnect();
      }
    },
  };
};

export interface MessageViewJson {
  key: { text: string };
  value: { encoding: string; text: string };
  partition: number;
  offset: number;
  failure?: {
    attempt: number;
    errorMessage: string;
    reason?: string;
    redrive?: { count: number; from: string };
  };
}

export interface MessagesPage {
  topics: Record<
    'orders' | 'retry' | 'dlq',
    { name: string; end: Record<string, number>; messages: MessageViewJson[] }
  >;
  cursor: string;
}

export interface UiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A browser-like client of the UI API: keeps the session cookie and the CSRF token, sends the page's origin. */
export const uiClient = (ui: Pick<LocalUi, 'url'>) => {
  const origin = ui.url.replace(/\/$/, '');
  let cookie = '';
  let csrf = '';
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<UiResponse> => {
    const response = await fetch(new URL(path, ui.url), {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { origin, 'content-type': 'application/json', 'x-csrf-token': csrf } : {}),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  return {
    call,
    login: async (token: string): Promise<UiResponse> => {
      const response = await call('POST', '/api/login', { token });
      cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      csrf = String(response.body.csrfToken ?? '');
      return response;
    },
    page: async (cursor?: string): Promise<MessagesPage> =>
      (await call('GET', `/api/messages${cursor ? `?cursor=${cursor}` : ''}`))
        .body as unknown as MessagesPage,
  };
};
