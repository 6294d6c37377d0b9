import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { maxBodyBytes } from '../../../shared/ui-api/http.js';
import { toApiRequest } from '../../../shared/ui-api/ui-handler.js';

const event = (overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/api/login',
    rawQueryString: 'a=1',
    headers: { Host: 'ui.example', 'Content-Type': 'application/json' },
    cookies: ['__Host-orders_session=abc', 'other=1'],
    requestContext: { http: { method: 'post', path: '/api/login', sourceIp: '198.51.100.7' } },
    isBase64Encoded: false,
    ...overrides,
  }) as APIGatewayProxyEventV2;

describe('function URL event to API request', () => {
  it('keeps method, path, lower-case headers, cookies, client address and body size', () => {
    // Act
    const request = toApiRequest(
      event({ body: Buffer.from('{"token":"é"}').toString('base64'), isBase64Encoded: true }),
    );

    // Assess
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/login',
      headers: { host: 'ui.example', 'content-type': 'application/json' },
      cookies: { '__Host-orders_session': 'abc', other: '1' },
      body: '{"token":"é"}',
      bodyBytes: 14,
      sourceIp: '198.51.100.7',
    });
    expect(request.query.get('a')).toBe('1');
  });

  it('reports the declared length of a body the adapter cut short, and does not decode a huge one', () => {
    // Act
    const cut = toApiRequest(event({ body: '{"x":', headers: { 'content-length': '999999' } }));
    const huge = toApiRequest(event({ body: 'x'.repeat(maxBodyBytes * 2 + 1) }));

    // Assess
    expect(cut.bodyBytes).toBe(999_999);
    expect(huge.body).toBeUndefined();
    expect(huge.bodyBytes).toBe(maxBodyBytes * 2 + 1);
  });
});
