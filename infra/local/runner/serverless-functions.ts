import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** A Kafka event source of one function, as declared in serverless.yml. */
export interface KafkaEventSource {
  readonly functionName: string;
  /** `functions/main-consumer/handler.ts` */
  readonly handlerFile: string;
  /** `handler` */
  readonly handlerExport: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly topic: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  readonly consumerGroupId: string;
}

// AWS defaults for a Kafka event source mapping and a function, used when serverless.yml is silent.
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
const defaults = {
  batchSize: 100,
  maximumBatchingWindowSeconds: 0.5,
  timeoutSeconds: 6,
  memorySize: 1024,
} as const;

type Yaml = Record<string, unknown>;

const asObject = (value: unknown): Yaml | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Yaml) : undefined;

/** A literal number, or the fallback when the value is absent or a `${...}` variable we cannot resolve. */
const literalNumber = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

const literalString = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '' || value.includes('${')) {
    throw new Error(
      `serverless.yml: ${what} must be a literal string for the local runner, got ${JSON.stringify(value)}`,
    );
  }
  return value;
};

/**
 * Reads the Kafka event sources from serverless.yml, the one source of truth for topics, batch sizes,
 * batching windows, starting positions and consumer groups. Only `kafka` (self-managed) events are
 * read: the `msk` events are the AWS-only alternative of the same mappings.
 */
export const parseKafkaEventSources = (serverlessYaml: string): KafkaEventSource[] => {
  // Unknown CloudFormation tags (!Ref, !GetAtt) only occur under resources; keep them as plain values.
  const document = asObject(parse(serverlessYaml, { logLevel: 'error' }));
  const provider = asObject(document?.provider) ?? {};
  const functions = asObject(document?.functions) ?? {};
  const sources: KafkaEventSource[] = [];
  for (const [functionName, definition] of Object.entries(functions)) {
    const fn = asObject(definition) ?? {};
    const handler = literalString(fn.handler, `functions.${functionName}.handler`);
    const dot = handler.lastIndexOf('.');
    if (dot <= 0)
      throw new Error(
        `serverless.yml: functions.${functionName}.handler must be <file>.<export>, got ${handler}`,
      );
    const events = Array.isArray(fn.events) ? fn.events : [];
    for (const event of events) {
      const kafka = asObject(asObject(event)?.kafka);
      if (kafka === undefined) continue;
      const startingPosition = kafka.startingPosition ?? 'TRIM_HORIZON';
      if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') {
        throw new Error(
          `serverless.yml: ${functionName} startingPosition ${String(startingPosition)} is not supported locally`,
        );
      }
      sources.push({
        functionName,
        handlerFile: `${handler.slice(0, dot)}.ts`,
        handlerExport: handler.slice(dot + 1),
        timeoutSeconds: literalNumber(fn.timeout, literalNumber(provider.timeout, defaults.timeoutSeconds)),
        memorySize: literalNumber(fn.memorySize, literalNumber(provider.memorySize, defaults.memorySize)),
        topic: literalString(kafka.topic, `functions.${functionName} kafka topic`),
        batchSize: literalNumber(kafka.batchSize, defaults.batchSize),
        maximumBatchingWindowSeconds: literalNumber(
          kafka.maximumBatchingWindow,
          defaults.maximumBatchingWindowSeconds,
        ),
        startingPosition,
        consumerGroupId: literalString(kafka.consumerGroupId, `functions.${functionName} consumerGroupId`),
      });
    }
  }
  return sources;
};

export const readKafkaEventSources = async (serverlessFile: string): Promise<KafkaEventSource[]> =>
  parseKafkaEventSources(await readFile(serverlessFile, 'utf8'));

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
