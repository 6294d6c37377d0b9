import { gunzipSync } from 'node:zlib';
import { type ApiResponse, securityHeaders } from './http.js';

/** One built asset of `ui/`, gzipped at build time (see ui/build.ts). */
export interface StaticAsset {
  readonly contentType: string;
  readonly gzipBase64: string;
  readonly etag: string;
}

export type StaticAssets = Readonly<Record<string, StaticAsset>>;

/**
 * Serves a built asset: gzipped when the client accepts it, revalidated by ETag (names are not
 * content-hashed, so every load asks; a 304 costs a few hundred bytes).
 */
export const serveStatic = (
  assets: StaticAssets,
  path: string,
  headers: Readonly<Record<string, string | undefined>>,
): ApiResponse | undefined => {
  const asset = assets[path === '/index.html' ? '/' : path];
  if (asset === undefined) return undefined;
  const common = {
    ...securityHeaders,
    etag: asset.etag,
    'cache-control': 'no-cache',
    vary: 'accept-encoding',
  };
  if (headers['if-none-match'] === asset.etag) return { status: 304, headers: common, body: '' };
  const gzipped = Buffer.from(asset.gzipBase64, 'base64');
  if (/\bgzip\b/.test(headers['accept-encoding'] ?? '')) {
    return {
      status: 200,
      headers: { ...common, 'content-type': asset.contentType, 'content-encoding': 'gzip' },
      body: gzipped,
    };
  }
  return {
    status: 200,
    headers: { ...common, 'content-type': asset.contentType },
    body: gunzipSync(gzipped),
  };
};
