import { CsrfHeader } from '../../shared/contract/headers.js';

/** The UI API over fetch: same-origin cookies, and the session's CSRF token on every POST. */

export class Unauthorized extends Error {}

/** An answer other than 2xx or 401, with the API's reason. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

export const setCsrfToken = (token: string): void => {
  csrfToken = token;
};

export const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
  const headers: Record<string, string> = {};
  if (init.method === 'POST') {
    headers['content-type'] = 'application/json';
    headers[CsrfHeader] = csrfToken;
  }
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.status === 401) throw new Unauthorized(body.error ?? 'not signed in');
  if (!response.ok) throw new HttpError(response.status, body.error ?? `HTTP ${response.status}`);
  return body;
};
