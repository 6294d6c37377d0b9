import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KafkaLambdaHandler } from './event-source-runner.js';
import type { KafkaEventSource } from './serverless-functions.js';

/** Imports the very handler module that esbuild bundles for Lambda: there is one code path. */
export const loadHandler = async (
  repoRoot: string,
  source: KafkaEventSource,
): Promise<KafkaLambdaHandler> => {
  const module = (await import(pathToFileURL(path.join(repoRoot, source.handlerFile)).href)) as Record<
    string,
    unknown
  >;
  const handler = module[source.handlerExport];
  if (typeof handler !== 'function') {
    throw new Error(`${source.handlerFile} has no exported function ${source.handlerExport}`);
  }
  return handler as KafkaLambdaHandler;
};
