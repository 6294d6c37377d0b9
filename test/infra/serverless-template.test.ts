import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSelfManagedKafkaEvent } from '../../infra/local/runner/lambda-event.js';
import { type PackagedService, packageService, repoRoot } from './helpers/package-service.js';
import { resolveConditions } from './helpers/resolve-conditions.js';
import { relativeImports, runPackagedHandler, unpack } from './helpers/run-packaged.js';
import { readZip } from './helpers/zip.js';

// Offline checks of what `sls package --stage test` produces. The `test` stage has literal fake values in
// serverless.yml `params.test`, so nothing here needs AWS. The template keeps both Kafka modes and the
// provisioned-poller switch as CloudFormation conditions; each mode is checked on the template resolved
// the way CloudFormation would resolve it for that mode's parameter values.

const ESM_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/test/kafka/orders-esm-AbCdEf';
const PRODUCER_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/test/kafka/orders-producer-MnOpQr';
const UI_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/test/kafka/orders-ui-StUvWx';
const CA_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/test/kafka-ca-GhIjKl';
const MSK_CLUSTER =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/orders-test/11111111-2222-3333-4444-555555555555-1';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000';
const SUBNETS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'];
const SECURITY_GROUP = 'sg-0bbbbbbbbbbbbbbb1';
const BOOTSTRAP_SERVERS = ['b-1.kafka.test.internal:9096', 'b-2.kafka.test.internal:9096'];

// Each function's own kafkajs client authenticates as its own SCRAM user; the mappings as orders-esm.
const FUNCTIONS = [
  {
    name: 'mainConsumer',
    logicalId: 'MainConsumerLambdaFunction',
    timeout: 60,
    dir: 'main-consumer',
    secret: PRODUCER_SECRET,
  },
  {
    name: 'retryConsumer',
    logicalId: 'RetryConsumerLambdaFunction',
    timeout: 300,
    dir: 'retry-consumer',
    secret: PRODUCER_SECRET,
  },
  { name: 'ui', logicalId: 'UiLambdaFunction', timeout: 15, dir: 'ui', secret: UI_SECRET },
] as const;

const MAPPINGS = [
  {
    fn: 'MainConsumerLambdaFunction',
    topic: 'orders.v1',
    group: 'orders-main-consumer',
    kafkaId: 'MainConsumerEventSourceMappingKafkaOrdersv1',
    mskId: 'MainConsumerEventSourceMappingMSKMskClusterArnOrdersv1',
  },
  {
    fn: 'RetryConsumerLambdaFunction',
    topic: 'orders.retry',
    group: 'orders-retry-consumer',
    kafkaId: 'RetryConsumerEventSourceMappingKafkaOrdersretry',
    mskId: 'RetryConsumerEventSourceMappingMSKMskClusterArnOrdersretry',
  },
] as const;

// The EC2 network-interface actions a VPC Lambda and a Kafka event source mapping need. They act on
// ENIs that do not exist yet, or are Describe* calls without resource-level permissions, hence `*`.
const ENI_ACTIONS = new Set([
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'ec2:DescribeVpcs',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
]);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Role = {
  Properties: { Policies?: { PolicyDocument: { Statement: Statement[] } }[]; ManagedPolicyArns?: unknown };
};

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const statementsOf = (template: Template, roleId: string): Statement[] => {
  const role = template.findResources('AWS::IAM::Role')[roleId] as Role | undefined;
  if (role === undefined) throw new Error(`Role ${roleId} not found`);
  return (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
};

const grants = (statements: Statement[], action: string): unknown[] =>
  statements
    .filter((s) => s.Effect === 'Allow' && asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource));

describe('serverless.yml as the local runner reads it', () => {
  it.each(MAPPINGS)('declares the $topic kafka event with literal settings', async (mapping) => {
    // Prepare
    const config = parse(await readFile(join(repoRoot, 'serverless.yml'), 'utf8'));
    const functionName = mapping.fn.replace(/^./, (c) => c.toLowerCase()).replace(/LambdaFunction$/, '');

    // Act
    const kafkaEvents = (config.functions[functionName].events as { kafka?: Record<string, unknown> }[])
      .map((event) => event.kafka)
      .filter((kafka) => kafka !== undefined);

    // Assess
    expect(kafkaEvents).toHaveLength(1);
    expect(kafkaEvents[0]).toMatchObject({
      topic: mapping.topic,
      batchSize: 100,
      maximumBatchingWindow: 1,
      startingPosition: 'TRIM_HORIZON',
      consumerGroupId: mapping.group,
    });
  });
});

describe('serverless package --stage test', () => {
  let packaged: PackagedService;
  let selfManaged: Template;
  let msk: Template;
  let provisioned: Template;

  beforeAll(async () => {
    // Prepare
    packaged = await packageService('test');
    selfManaged = Template.fromJSON(resolveConditions(packaged.template));
    msk = Template.fromJSON(resolveConditions(packaged.template, { KafkaMode: 'msk' }));
    provisioned = Template.fromJSON(resolveConditions(packaged.template, { ProvisionedMinimumPollers: '2' }));
  });

  afterAll(async () => {
    if (packaged) await rm(packaged.dir, { recursive: true, force: true });
  });

  describe('Kafka event source mappings', () => {
    it.each(MAPPINGS)('consumes $topic with group $group from the self-managed cluster', (mapping) => {
      // Act
      const mappings = selfManaged.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { Topics: [mapping.topic] },
      });

      // Assess
      expect(Object.keys(mappings)).toEqual([mapping.kafkaId]);
      selfManaged.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { 'Fn::GetAtt': [mapping.fn, 'Arn'] },
        Topics: [mapping.topic],
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: BOOTSTRAP_SERVERS } },
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: mapping.group },
        SourceAccessConfigurations: [
          { Type: 'VPC_SUBNET', URI: `subnet:${SUBNETS[0]}` },
          { Type: 'VPC_SUBNET', URI: `subnet:${SUBNETS[1]}` },
          { Type: 'VPC_SECURITY_GROUP', URI: `security_group:${SECURITY_GROUP}` },
          { Type: 'SASL_SCRAM_512_AUTH', URI: ESM_SECRET },
          { Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: CA_SECRET },
        ],
        EventSourceArn: Match.absent(),
        ProvisionedPollerConfig: Match.absent(),
        MaximumRetryAttempts: Match.absent(),
        BisectBatchOnFunctionError: Match.absent(),
      });
    });

    it('creates exactly the two self-managed mappings by default', () => {
      // Act
      const ids = Object.keys(selfManaged.findResources('AWS::Lambda::EventSourceMapping')).sort();

      // Assess
      expect(ids).toEqual(MAPPINGS.map((m) => m.kafkaId).sort());
    });

    it.each(MAPPINGS)('switches $topic to provisioned pollers with retry limits and bisection', (mapping) => {
      // Act
      const mapped = provisioned.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { Topics: [mapping.topic] },
      });

      // Assess
      expect(mapped[mapping.kafkaId]?.Properties).toMatchObject({
        ProvisionedPollerConfig: { MinimumPollers: '2', MaximumPollers: '2' },
        MaximumRetryAttempts: '-1',
        BisectBatchOnFunctionError: true,
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: mapping.group },
      });
    });

    it.each(MAPPINGS)('consumes $topic from Amazon MSK instead in msk mode', (mapping) => {
      // Act
      const ids = Object.keys(msk.findResources('AWS::Lambda::EventSourceMapping')).sort();

      // Assess
      expect(ids).toEqual(MAPPINGS.map((m) => m.mskId).sort());
      msk.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { 'Fn::GetAtt': [mapping.fn, 'Arn'] },
        EventSourceArn: MSK_CLUSTER,
        Topics: [mapping.topic],
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: mapping.group },
        SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: ESM_SECRET }],
        SelfManagedEventSource: Match.absent(),
      });
    });
  });

  describe('functions', () => {
    it.each(FUNCTIONS)('runs $name on nodejs22.x arm64 in the VPC with a $timeout s timeout', (fn) => {
      // Act
      const functions = selfManaged.findResources('AWS::Lambda::Function');

      // Assess
      expect(functions[fn.logicalId]?.Properties).toMatchObject({
        Handler: `functions/${fn.dir}/handler.handler`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: fn.timeout,
        MemorySize: 512,
        VpcConfig: { SubnetIds: SUBNETS, SecurityGroupIds: [SECURITY_GROUP] },
      });
    });

    it.each(FUNCTIONS)(
      'gives $name the Kafka, topic, retry, concurrency and Powertools environment',
      (fn) => {
        // Act
        const variables = selfManaged.findResources('AWS::Lambda::Function')[fn.logicalId]?.Properties
          ?.Environment?.Variables as Record<string, string>;

        // Assess
        expect(variables).toMatchObject({
          KAFKA_BROKERS: BOOTSTRAP_SERVERS.join(','),
          KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
          KAFKA_SASL_SECRET_ID: fn.secret,
          KAFKA_CA_SECRET_ID: CA_SECRET,
          TOPIC_ORDERS: 'orders.v1',
          TOPIC_RETRY: 'orders.retry',
          TOPIC_DLQ: 'orders.dlq',
          RETRY_MAX_ATTEMPTS: '5',
          RETRY_BASE_DELAY_MS: '1000',
          RETRY_MAX_DELAY_MS: '60000',
          PROCESSING_CONCURRENCY: '16',
          POWERTOOLS_SERVICE_NAME: 'orders-dlq',
          POWERTOOLS_METRICS_NAMESPACE: 'OrdersDlq',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        });
        expect(variables).not.toHaveProperty('MSK_CLUSTER_ARN');
        expect(Object.hasOwn(variables, 'UI_TOKEN_PARAMETER')).toBe(fn.name === 'ui');
      },
    );

    it('passes the UI token parameter by name and never its value', () => {
      // Act
      const ui = selfManaged.findResources('AWS::Lambda::Function').UiLambdaFunction;

      // Assess
      expect(ui?.Properties.Environment.Variables.UI_TOKEN_PARAMETER).toBe(
        '/orders-dlq/test/ui/access-token',
      );
      expect(JSON.stringify(packaged.template)).not.toMatch(/\{\{resolve:ssm-secure/);
    });

    it.each(FUNCTIONS)('sets MSK_CLUSTER_ARN on $name in msk mode, without the EC2 brokers and CA', (fn) => {
      // Act
      const variables =
        msk.findResources('AWS::Lambda::Function')[fn.logicalId]?.Properties.Environment.Variables;

      // Assess
      expect(variables?.MSK_CLUSTER_ARN).toBe(MSK_CLUSTER);
      expect(variables).not.toHaveProperty('KAFKA_BROKERS');
      expect(variables).not.toHaveProperty('KAFKA_CA_SECRET_ID');
      expect(variables?.KAFKA_SASL_SECRET_ID).toBe(fn.secret);
    });

    it('serves the UI through a function URL with auth type NONE', () => {
      // Assess
      selfManaged.resourceCountIs('AWS::Lambda::Url', 1);
      selfManaged.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        TargetFunctionArn: { 'Fn::GetAtt': ['UiLambdaFunction', 'Arn'] },
      });
      selfManaged.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      });
    });

    it('reserves concurrency for the UI function only, so the public URL cannot starve the consumers', () => {
      // Act
      const functions = selfManaged.findResources('AWS::Lambda::Function');

      // Assess
      expect(functions.UiLambdaFunction?.Properties.ReservedConcurrentExecutions).toBe(5);
      expect(functions.MainConsumerLambdaFunction?.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(functions.RetryConsumerLambdaFunction?.Properties.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('keeps each function log group for 14 days', () => {
      // Act
      const groups = Object.values(selfManaged.findResources('AWS::Logs::LogGroup'));

      // Assess
      expect(groups).toHaveLength(FUNCTIONS.length);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
    });
  });

  describe('IAM', () => {
    // The widest template CloudFormation can produce: MSK mode, with the test stage's customer managed key.
    const widest = (): Template =>
      Template.fromJSON(resolveConditions(packaged.template, { KafkaMode: 'msk' }));

    it('gives every function its own role and no shared or managed-policy role', () => {
      // Act
      const roles = selfManaged.findResources('AWS::IAM::Role');
      const functions = selfManaged.findResources('AWS::Lambda::Function');

      // Assess
      expect(Object.keys(roles).sort()).toEqual(['MainConsumerRole', 'RetryConsumerRole', 'UiRole']);
      for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(FUNCTIONS.map((fn) => JSON.stringify(functions[fn.logicalId]?.Properties.Role))).toEqual([
        JSON.stringify({ 'Fn::Sub': `\${MainConsumerRole.Arn}` }),
        JSON.stringify({ 'Fn::Sub': `\${RetryConsumerRole.Arn}` }),
        JSON.stringify({ 'Fn::Sub': `\${UiRole.Arn}` }),
      ]);
    });

    it('uses a wildcard resource only for the EC2 network-interface actions', () => {
      // Act
      const wildcardActions = ['MainConsumerRole', 'RetryConsumerRole', 'UiRole']
        .flatMap((roleId) => statementsOf(widest(), roleId))
        .filter((s) => asList(s.Resource).some((r) => typeof r === 'string' && r.includes('*')))
        .flatMap((s) => asList(s.Action));

      // Assess
      expect(wildcardActions.length).toBeGreaterThan(0);
      expect(wildcardActions.filter((action) => !ENI_ACTIONS.has(action))).toEqual([]);
    });

    it.each([
      { roleId: 'MainConsumerRole', secrets: [ESM_SECRET, PRODUCER_SECRET, CA_SECRET] },
      { roleId: 'RetryConsumerRole', secrets: [ESM_SECRET, PRODUCER_SECRET, CA_SECRET] },
      { roleId: 'UiRole', secrets: [UI_SECRET, CA_SECRET] },
    ])(
      "lets $roleId read exactly its Kafka users' secrets and the CA, decrypt them and write only its own logs",
      ({ roleId, secrets }) => {
        // Act
        const statements = statementsOf(selfManaged, roleId);
        const logGroup = roleId.replace(/Role$/, 'LogGroup');

        // Assess
        expect(grants(statements, 'secretsmanager:GetSecretValue')).toEqual(secrets);
        expect(grants(statements, 'kms:Decrypt')).toEqual([KMS_KEY]);
        expect(grants(statements, 'logs:PutLogEvents')).toEqual([{ 'Fn::GetAtt': [logGroup, 'Arn'] }]);
        expect(grants(statements, 'kafka:GetBootstrapBrokers')).toEqual([]);
      },
    );

    it.each(['MainConsumerRole', 'RetryConsumerRole', 'UiRole'])(
      'grants %s the MSK cluster in msk mode and no key without a key ARN',
      (roleId) => {
        // Prepare
        const template = Template.fromJSON(
          resolveConditions(packaged.template, { KafkaMode: 'msk', KmsKeyArn: '' }),
        );

        // Act
        const statements = statementsOf(template, roleId);

        // Assess
        expect(grants(statements, 'kafka:GetBootstrapBrokers')).toEqual([MSK_CLUSTER]);
        expect(grants(statements, 'kafka:DescribeClusterV2')).toEqual([MSK_CLUSTER]);
        expect(grants(statements, 'kms:Decrypt')).toEqual([]);
      },
    );

    it('lets only the UI role read the access-token parameter', () => {
      // Act
      const readers = ['MainConsumerRole', 'RetryConsumerRole', 'UiRole'].map((roleId) =>
        grants(statementsOf(selfManaged, roleId), 'ssm:GetParameter'),
      );

      // Assess
      expect(readers).toEqual([
        [],
        [],
        [
          {
            'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/orders-dlq/test/ui/access-token`,
          },
        ],
      ]);
    });
  });

  describe('dead-letter alarm', () => {
    it('alarms when one order is dead-lettered within five minutes', () => {
      // Assess
      selfManaged.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'OrdersDlq',
        MetricName: 'OrdersDeadLettered',
        Dimensions: [{ Name: 'service', Value: 'orders-dlq' }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'DeadLetterAlarmTopic' }],
      });
      selfManaged.hasResourceProperties('AWS::SNS::Topic', {
        Subscription: [{ Protocol: 'email', Endpoint: 'oncall@example.com' }],
      });
    });

    it.each([
      { id: 'MainConsumerLagAlarm', fn: 'MainConsumerLambdaFunction' },
      { id: 'RetryConsumerLagAlarm', fn: 'RetryConsumerLambdaFunction' },
    ])('alarms on the consumer lag of $fn in both Kafka modes', ({ id, fn }) => {
      for (const template of [selfManaged, msk]) {
        // Act
        const alarm = template.findResources('AWS::CloudWatch::Alarm')[id];

        // Assess
        expect(alarm?.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'OffsetLag',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
          Statistic: 'Maximum',
          Threshold: 1000,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [{ Ref: 'DeadLetterAlarmTopic' }],
        });
      }
    });

    it('drops the SNS topic and alarm actions when no e-mail is set', () => {
      // Act
      const silent = Template.fromJSON(resolveConditions(packaged.template, { AlarmEmail: '' }));

      // Assess
      silent.resourceCountIs('AWS::SNS::Topic', 0);
      for (const alarm of Object.values(silent.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmActions).toBeUndefined();
      }
    });
  });

  describe('bundles', () => {
    it.each(FUNCTIONS)(
      'ships $name as minified ESM, its own chunks only, without the AWS SDK',
      async (fn) => {
        // Act
        const zipPath = join(packaged.dir, `${fn.name}.zip`);
        const entries = readZip(zipPath);
        const names = entries.map((entry) => entry.name);
        const handler = entries.find((entry) => entry.name === `functions/${fn.dir}/handler.mjs`);
        const handlerCode = handler?.data.toString('utf8') ?? '';
        const allCode = entries.map((entry) => entry.data.toString('utf8')).join('\n');

        // Assess
        expect(names).toContain(`functions/${fn.dir}/handler.mjs`);
        // The handler and the chunks esbuild split off for it; no other function's files.
        for (const name of names)
          expect(name).toMatch(new RegExp(`^functions/${fn.dir}/handler\\.[\\w.-]*mjs$`));
        expect((await stat(zipPath)).size).toBeLessThan(1024 * 1024);
        // Minified: long lines. esbuild's unminified output averages well under 100 characters a line.
        expect(handlerCode.length / handlerCode.split('\n').length).toBeGreaterThan(200);
        // Every module a file imports, at load or lazily, is in the zip beside it.
        for (const entry of entries) {
          for (const imported of relativeImports(entry.data.toString('utf8'))) {
            expect(names, `${entry.name} imports ${imported}`).toContain(
              `functions/${fn.dir}/${imported.slice(2)}`,
            );
          }
        }
        expect(relativeImports(handlerCode).length).toBeGreaterThan(0);
        // kafkajs is in a chunk of its own, which only the first batch (or request) that needs Kafka loads.
        expect(handlerCode).not.toContain('KafkaJSConnectionError');
        expect(allCode).toContain('KafkaJSConnectionError');
        // A consumer loads zod only for a record its generated validator rejects: a chunk of its own.
        if (fn.name !== 'ui') {
          expect(handlerCode).not.toContain('ZodError');
          expect(allCode).toContain('ZodError');
        }
        // The SDK stays external: its imports remain, none of its code (service exceptions, Smithy core) is in.
        expect(allCode).not.toMatch(/ServiceException\b|@smithy\/|node_modules\/@aws-sdk/);
      },
    );

    it.each(FUNCTIONS)('runs $name from its unpacked zip: the handler and every chunk load', async (fn) => {
      // Arrange
      const dir = await unpack(readZip(join(packaged.dir, `${fn.name}.zip`)));
      const env = { KAFKA_BROKERS: '127.0.0.1:9', POWERTOOLS_LOG_LEVEL: 'ERROR' };
      // The consumers get an all-success batch, which needs no Kafka; the UI has no event to take.
      const event =
        fn.name === 'ui'
          ? undefined
          : buildSelfManagedKafkaEvent('127.0.0.1:9', 'orders.v1', 0, [
              {
                key: Buffer.from('o-1'),
                value: Buffer.from('{"orderId":"o-1","amount":1}'),
                timestamp: '0',
                attributes: 0,
                offset: '0',
                headers: {},
              },
            ]);

      try {
        // Act
        const run = await runPackagedHandler(dir, `functions/${fn.dir}/handler.mjs`, env, event);

        // Assess
        expect(run.handler).toBe('function');
        expect(run.chunks).toBeGreaterThan(0);
        if (event !== undefined)
          expect(run.summary).toMatchObject({ records: 1, processed: 1, published: 0 });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('writes one zip per function', async () => {
      // Act
      const zips = (await readdir(packaged.dir)).filter((file) => file.endsWith('.zip')).sort();

      // Assess
      expect(zips).toEqual(FUNCTIONS.map((fn) => `${fn.name}.zip`).sort());
    });
  });

  describe('cfn-lint', () => {
    const lint = (path: string) =>
      promisify(execFile)('cfn-lint', [path]).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string }) => {
          if (error.code === 'ENOENT') {
            throw new Error('cfn-lint is not installed; install it with `pip install cfn-lint`', {
              cause: error,
            });
          }
          return { code: error.code, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
        },
      );

    // The real stages (dev, prod) are linted from their SSM values by `npm run infra:rehearse`.
    it.each(['self-managed', 'msk'])('finds no errors or warnings in the %s template', async (mode) => {
      // Prepare
      const template = structuredClone(packaged.template) as {
        Parameters: Record<string, { Default?: unknown }>;
      };
      const kafkaMode = template.Parameters.KafkaMode;
      if (kafkaMode === undefined) throw new Error('the template has no KafkaMode parameter');
      kafkaMode.Default = mode;
      const path = join(packaged.dir, `template-${mode}.json`);
      await writeFile(path, JSON.stringify(template));

      // Act
      const result = await lint(path);

      // Assess
      expect(result).toEqual({ code: 0, output: '' });
    });
  });
});
