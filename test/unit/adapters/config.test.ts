import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../shared/adapters/config.js';

describe('readConfig', () => {
  it('uses the local defaults for an empty environment', () => {
    // Act
    const config = readConfig({});

    // Assess
    expect(config).toEqual({
      brokers: ['localhost:9092'],
      securityProtocol: 'plaintext',
      auth: {},
      clientId: 'orders-dlq',
      topics: { orders: 'orders.v1', retry: 'orders.retry', dlq: 'orders.dlq' },
      ledgerTopic: 'orders.dlq.redrives',
      retryPolicy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    });
    expect(config).not.toHaveProperty('mskClusterArn');
    expect(config).not.toHaveProperty('uiAccessToken');
  });

  it('returns a frozen object, nested parts included', () => {
    // Act
    const config = readConfig({});

    // Assess
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.topics)).toBe(true);
    expect(Object.isFrozen(config.retryPolicy)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('reads every override', () => {
    // Prepare
    const env = {
      KAFKA_BROKERS: ' b-1.kafka:9096, b-2.kafka:9096 ,',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sasl',
      KAFKA_CA_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ca',
      KAFKA_SASL_USERNAME: 'orders',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_CA_PEM_FILE: '/tmp/ca.pem',
      KAFKA_CLIENT_ID: 'orders-test',
      TOPIC_ORDERS: 'o',
      TOPIC_RETRY: 'r',
      TOPIC_DLQ: 'd',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '200',
      RETRY_MAX_DELAY_MS: '200',
      UI_TOKEN_PARAMETER: '/orders-dlq/test/ui/access-token',
      UI_ACCESS_TOKEN: 'token',
      UI_OPERATOR_TOKENS: 'alice:a-token,bob:b-token',
    };

    // Act
    const config = readConfig(env);

    // Assess
    expect(config).toEqual({
      brokers: ['b-1.kafka:9096', 'b-2.kafka:9096'],
      securityProtocol: 'sasl_ssl',
      auth: {
        saslSecretId: env.KAFKA_SASL_SECRET_ID,
        caSecretId: env.KAFKA_CA_SECRET_ID,
        username: 'orders',
        password: 'secret',
        caPemFile: '/tmp/ca.pem',
      },
      clientId: 'orders-test',
      topics: { orders: 'o', retry: 'r', dlq: 'd' },
      ledgerTopic: 'd.redrives',
      retryPolicy: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 200 },
      uiTokenParameter: '/orders-dlq/test/ui/access-token',
      uiAccessToken: 'token',
      uiOperatorTokens: 'alice:a-token,bob:b-token',
    });
  });

  it('leaves the brokers empty when they come from MSK', () => {
    // Prepare
    const mskClusterArn = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders-test/1111-1';

    // Act
    const config = readConfig({ MSK_CLUSTER_ARN: mskClusterArn });

    // Assess
    expect(config.brokers).toEqual([]);
    expect(config.mskClusterArn).toBe(mskClusterArn);
  });

  it('treats blank variables as unset', () => {
    // Act
    const config = readConfig({ KAFKA_BROKERS: '', TOPIC_DLQ: '  ', RETRY_MAX_ATTEMPTS: '' });

    // Assess
    expect(config.brokers).toEqual(['localhost:9092']);
    expect(config.topics.dlq).toBe('orders.dlq');
    expect(config.retryPolicy.maxAttempts).toBe(5);
  });

  it.each(['five', '2.5', '-3'])('rejects RETRY_MAX_ATTEMPTS=%s with a clear message', (raw) => {
    // Act
    const act = () => readConfig({ RETRY_MAX_ATTEMPTS: raw });

    // Assess
    expect(act).toThrow(`Environment variable RETRY_MAX_ATTEMPTS must be a whole number, got "${raw}"`);
  });

  it('rejects zero attempts', () => {
    // Act
    const act = () => readConfig({ RETRY_MAX_ATTEMPTS: '0' });

    // Assess
    expect(act).toThrow('maxAttempts must be an integer >= 1, got 0');
  });

  it('rejects an unknown security protocol', () => {
    // Act
    const act = () => readConfig({ KAFKA_SECURITY_PROTOCOL: 'SSL' });

    // Assess
    expect(act).toThrow(
      'Environment variable KAFKA_SECURITY_PROTOCOL must be one of plaintext, sasl_ssl, got "ssl"',
    );
  });

  it('rejects a max delay below the base delay', () => {
    // Act
    const act = () => readConfig({ RETRY_BASE_DELAY_MS: '5000', RETRY_MAX_DELAY_MS: '1000' });

    // Assess
    expect(act).toThrow(RangeError);
    expect(act).toThrow('maxDelayMs (1000) must be >= baseDelayMs (5000)');
  });
});
