import path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { type EventSourceRunner, type RunnerLog, startEventSourceRunner } from './event-source-runner.js';
import { loadHandler } from './load-handler.js';
import { readKafkaEventSources, repoRoot } from './serverless-functions.js';

/** Starts one local event source per `kafka` event in serverless.yml, each invoking its real handler. */
export const startAllRunners = async (
  kafka: KafkaConfig,
  log: RunnerLog,
  onFatal?: (error: Error) => void,
): Promise<EventSourceRunner[]> => {
  const sources = await readKafkaEventSources(path.join(repoRoot, 'serverless.yml'));
  const runners: EventSourceRunner[] = [];
  try {
    for (const source of sources) {
      const handler = await loadHandler(repoRoot, source);
      runners.push(
        await startEventSourceRunner({ source, handler, kafka, log, ...(onFatal ? { onFatal } : {}) }),
      );
    }
  } catch (error) {
    await Promise.allSettled(runners.map((runner) => runner.stop()));
    throw error;
  }
  return runners;
};
