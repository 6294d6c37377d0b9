import { defaultProcessingConcurrency } from '../domain/processing-concurrency.js';
import { assertValidRetryPolicy, defaultRetryPolicy, type RetryPolicy } from '../domain/retry-policy.js';
import { defaultTopics, type Topics } from '../domain/topics.js';
import { type Env, integer, oneOf, optionalString } from './env.js';

export const SecurityProtocol = { plaintext: 'plaintext', saslSsl: 'sasl_ssl' } as const;
export type SecurityProtocol = (typeof SecurityProtocol)[keyof typeof SecurityProtocol];

/** Where the SASL credentials and the CA come from: Secrets Manager on AWS, plain values locally. */
export interface KafkaAuthConfig {
  readonly saslSecretId?: string;
  readonly caSecretId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly caPemFile?: string;
}

export interface AppConfig {
  /** Bootstrap servers; empty when they are looked up from MSK instead. */
  readonly brokers: readonly string[];
  readonly mskClusterArn?: string;
  readonly securityProtocol: SecurityProtocol;
  readonly auth: KafkaAuthConfig;
  readonly clientId: string;
  readonly topics: Topics;
  /** The compacted redrive ledger beside the three (`TOPIC_REDRIVES`, default `<dlq topic>.redrives`). */
  readonly ledgerTopic: string;
  readonly retryPolicy: RetryPolicy;
  /** Records of different keys a consumer processes at once (`PROCESSING_CONCURRENCY`). */
  readonly processingConcurrency: number;
  /** SSM parameter holding the UI access token (AWS); locally the token comes from `UI_ACCESS_TOKEN`. */
  readonly uiTokenParameter?: string;
  readonly uiAccessToken?: string;
  /** Named operator tokens, `alice:token1,bob:token2` (locally `UI_OPERATOR_TOKENS`). */
  readonly uiOperatorTokens?: string;
}

const defaults = {
  brokers: 'localhost:9092',
  clientId: 'orders-dlq',
  securityProtocol: SecurityProtocol.plaintext,
  processingConcurrency: defaultProcessingConcurrency,
} as const satisfies {
  brokers: string;
  clientId: string;
  securityProtocol: SecurityProtocol;
  processingConcurrency: number;
};

const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const atLeastOne = (name: string, value: number): number => {
  if (value < 1) throw new Error(`Environment variable ${name} must be at least 1, got "${value}"`);
  return value;
};

/** Reads and validates the whole configuration. Pure over `env`, so it is unit-tested directly. */
export const readConfig = (env: Env): AppConfig => {
  const mskClusterArn = optionalString(env, 'MSK_CLUSTER_ARN');
  const dlqTopic = optionalString(env, 'TOPIC_DLQ') ?? defaultTopics.dlq;
  const brokerList = optionalString(env, 'KAFKA_BROKERS') ?? (mskClusterArn ? '' : defaults.brokers);
  return Object.freeze(
    definedOnly({
      brokers: brokerList
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker !== ''),
      mskClusterArn,
      securityProtocol: oneOf(
        env,
        'KAFKA_SECURITY_PROTOCOL',
        Object.values(SecurityProtocol),
        defaults.securityProtocol,
      ),
      auth: Object.freeze(
        definedOnly({
          saslSecretId: optionalString(env, 'KAFKA_SASL_SECRET_ID'),
          caSecretId: optionalString(env, 'KAFKA_CA_SECRET_ID'),
          username: optionalString(env, 'KAFKA_SASL_USERNAME'),
          password: optionalString(env, 'KAFKA_SASL_PASSWORD'),
          caPemFile: optionalString(env, 'KAFKA_CA_PEM_FILE'),
        }),
      ),
      clientId: optionalString(env, 'KAFKA_CLIENT_ID') ?? defaults.clientId,
      topics: Object.freeze({
        orders: optionalString(env, 'TOPIC_ORDERS') ?? defaultTopics.orders,
        retry: optionalString(env, 'TOPIC_RETRY') ?? defaultTopics.retry,
        dlq: dlqTopic,
      }),
      ledgerTopic: optionalString(env, 'TOPIC_REDRIVES') ?? `${dlqTopic}.redrives`,
      retryPolicy: Object.freeze(
        assertValidRetryPolicy({
          maxAttempts: integer(env, 'RETRY_MAX_ATTEMPTS', defaultRetryPolicy.maxAttempts),
          baseDelayMs: integer(env, 'RETRY_BASE_DELAY_MS', defaultRetryPolicy.baseDelayMs),
          maxDelayMs: integer(env, 'RETRY_MAX_DELAY_MS', defaultRetryPolicy.maxDelayMs),
        }),
      ),
      processingConcurrency: atLeastOne(
        'PROCESSING_CONCURRENCY',
        integer(env, 'PROCESSING_CONCURRENCY', defaults.processingConcurrency),
      ),
      uiTokenParameter: optionalString(env, 'UI_TOKEN_PARAMETER'),
      uiAccessToken: optionalString(env, 'UI_ACCESS_TOKEN'),
      uiOperatorTokens: optionalString(env, 'UI_OPERATOR_TOKENS'),
    }),
  );
};

let cached: AppConfig | undefined;

/** The configuration of this process, read once (at cold start on Lambda). */
export const getConfig = (): AppConfig => {
  cached ??= readConfig(process.env);
  return cached;
};
