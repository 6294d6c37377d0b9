import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ApiError, type ApiRequest, type ApiResponse } from './http.js';

/** A route's path parameters, e.g. `{ partition: '0' }` for `/api/dlq/records/{partition}/{offset}`. */
export type PathParameters = Readonly<Record<string, string>>;

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'HEAD';
  /** http-router syntax: `/api/x/{name}` for a segment, `/{proxy+}` for the rest. */
  readonly path: string;
  readonly handle: (request: ApiRequest, params: PathParameters) => Promise<ApiResponse>;
}

// The router matches on the fields of a function URL event (payload 2.0); the API's plain request
// rides along, so route handlers never see `aws-lambda` types.
interface RoutingEvent {
  readonly version: '2.0';
  readonly requestContext: { readonly http: { readonly method: string; readonly path: string } };
  pathParameters?: Record<string, string>;
  readonly request: ApiRequest;
}

/**
 * Routes a request with `@middy/http-router` (static paths first, then the parameterised ones in the
 * order given). An unmatched `/api` path is a 404, any other unmatched write a 405.
 */
export const createRouter = (routes: readonly ApiRoute[]) => {
  const route = httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>({
    routes: routes.map((entry) => ({
      method: entry.method,
      path: entry.path,
      handler: (async (event: RoutingEvent) =>
        entry.handle(
          event.request,
          event.pathParameters ?? {},
        )) as unknown as () => Promise<APIGatewayProxyResultV2>,
    })),
    notFoundResponse: ({ method, path }) => {
      if (path.startsWith('/api/')) throw new ApiError(404, 'no such route');
      throw method === 'GET' || method === 'HEAD'
        ? new ApiError(404, 'not found')
        : new ApiError(405, 'method not allowed');
    },
  });
  return async (request: ApiRequest): Promise<ApiResponse> => {
    const event: RoutingEvent = {
      version: '2.0',
      requestContext: { http: { method: request.method, path: request.path } },
      request,
    };
    // Lambda's third `abort` argument is unused by the router; the context is unused by our routes.
    return (await (route as unknown as (event: RoutingEvent, context: unknown) => Promise<ApiResponse>)(
      event,
      {},
    )) as ApiResponse;
  };
};
