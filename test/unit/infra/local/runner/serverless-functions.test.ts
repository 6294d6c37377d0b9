import { describe, expect, it } from 'vitest';
import { parseKafkaEventSources } from '../../../../../infra/local/runner/serverless-functions.js';

const serverlessYaml = `
service: orders-dlq
provider:
  name: aws
  timeout: 20
  memorySize: 256
  environment:
    KAFKA_BROKERS: \${param:kafkaBrokers}
functions:
  mainConsumer:
    handler: functions/main-consumer/handler.handler
    timeout: 60
    memorySize: 512
    role: { Fn::Sub: "\${MainConsumerRole.Arn}" }
    events:
      - kafka:
          topic: orders.v1
          batchSize: 100
          maximumBatchingWindow: 1
          startingPosition: TRIM_HORIZON
          consumerGroupId: orders-main-consumer
          bootstrapServers: \${param:kafkaBootstrapServerList}
      - msk:
          arn: { Ref: MskClusterArn }
          topic: orders.v1
          consumerGroupId: orders-main-consumer
  retryConsumer:
    handler: functions/retry-consumer/handler.handler
    events:
      - kafka:
          topic: orders.retry
          batchSize: \${param:retryBatchSize}
          startingPosition: LATEST
          consumerGroupId: orders-retry-consumer
  ui:
    handler: functions/ui/handler.handler
    url: true
resources:
  Conditions:
    IsMskMode: !Equals [!Ref KafkaMode, msk]
  Resources:
    MainConsumerRole:
      Type: AWS::IAM::Role
      Properties:
        RoleName: !Sub "\${AWS::StackName}-main"
`;

describe('parseKafkaEventSources', () => {
  it('reads every kafka event and skips msk events and functions without Kafka', () => {
    // Act
    const sources = parseKafkaEventSources(serverlessYaml);

    // Assess
    expect(sources).toEqual([
      {
        functionName: 'mainConsumer',
        handlerFile: 'functions/main-consumer/handler.ts',
        handlerExport: 'handler',
        timeoutSeconds: 60,
        memorySize: 512,
        topic: 'orders.v1',
        batchSize: 100,
        maximumBatchingWindowSeconds: 1,
        startingPosition: 'TRIM_HORIZON',
        consumerGroupId: 'orders-main-consumer',
      },
      {
        functionName: 'retryConsumer',
        handlerFile: 'functions/retry-consumer/handler.ts',
        handlerExport: 'handler',
        timeoutSeconds: 20,
        memorySize: 256,
        topic: 'orders.retry',
        batchSize: 100,
        maximumBatchingWindowSeconds: 0.5,
        startingPosition: 'LATEST',
        consumerGroupId: 'orders-retry-consumer',
      },
    ]);
  });

  it('falls back to the AWS defaults when neither the function nor the provider sets them', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    handler: src/consumer.main
    events:
      - kafka: { topic: t, consumerGroupId: g }
`;

    // Act
    const [source] = parseKafkaEventSources(yaml);

    // Assess
    expect(source).toEqual({
      functionName: 'consumer',
      handlerFile: 'src/consumer.ts',
      handlerExport: 'main',
      timeoutSeconds: 6,
      memorySize: 1024,
      topic: 't',
      batchSize: 100,
      maximumBatchingWindowSeconds: 0.5,
      startingPosition: 'TRIM_HORIZON',
      consumerGroupId: 'g',
    });
  });

  it('splits the handler at its last dot', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    handler: dist/v1.2/consumer.handler
    events:
      - kafka: { topic: t, consumerGroupId: g }
`;

    // Act
    const [source] = parseKafkaEventSources(yaml);

    // Assess
    expect(source?.handlerFile).toBe('dist/v1.2/consumer.ts');
    expect(source?.handlerExport).toBe('handler');
  });

  it('returns no sources for a file without functions', () => {
    // Act
    const sources = parseKafkaEventSources('service: empty\n');

    // Assess
    expect(sources).toEqual([]);
  });

  it('rejects a topic given as a variable it cannot resolve', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    handler: src/consumer.main
    events:
      - kafka: { topic: '\${param:topic}', consumerGroupId: g }
`;

    // Act
    const act = () => parseKafkaEventSources(yaml);

    // Assess
    expect(act).toThrow(
      `serverless.yml: functions.consumer kafka topic must be a literal string for the local runner, got "\${param:topic}"`,
    );
  });

  it('rejects a kafka event without a consumer group', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    handler: src/consumer.main
    events:
      - kafka: { topic: t }
`;

    // Act
    const act = () => parseKafkaEventSources(yaml);

    // Assess
    expect(act).toThrow('serverless.yml: functions.consumer consumerGroupId must be a literal string');
  });

  it('rejects a starting position the local runner cannot honour', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    handler: src/consumer.main
    events:
      - kafka: { topic: t, consumerGroupId: g, startingPosition: AT_TIMESTAMP }
`;

    // Act
    const act = () => parseKafkaEventSources(yaml);

    // Assess
    expect(act).toThrow('serverless.yml: consumer startingPosition AT_TIMESTAMP is not supported locally');
  });

  it('rejects a function without a handler', () => {
    // Prepare
    const yaml = `
functions:
  consumer:
    events: []
`;

    // Act
    const act = () => parseKafkaEventSources(yaml);

    // Assess
    expect(act).toThrow('serverless.yml: functions.consumer.handler must be a literal string');
  });
});
