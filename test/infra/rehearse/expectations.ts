/**
 * What the apply rehearsal expects of a fresh `terraform apply` of infra/ with the default variables
 * (stage dev, self-managed Kafka), and of the `sls package --stage dev` template built from it. Pure:
 * each function returns the list of problems it found, empty when all is well.
 */

export const KAFKA_USERS = ['orders-esm', 'orders-producer', 'orders-ui', 'orders-admin'] as const;

/** The SSM parameters serverless.yml reads for a real stage, with their types. */
export const SSM_CONTRACT = {
  'kafka/mode': 'String',
  'kafka/bootstrap-servers': 'StringList',
  'kafka/esm-secret-arn': 'String',
  'kafka/producer-secret-arn': 'String',
  'kafka/ui-secret-arn': 'String',
  'kafka/secrets-kms-key-arn': 'String',
  'kafka/ca-secret-arn': 'String',
  'kafka/msk-cluster-arn': 'String',
  'kafka/broker-instance-id': 'String',
  'network/subnet-ids': 'StringList',
  'network/lambda-sg-id': 'String',
  'ui/access-token': 'SecureString',
} as const;

export type SsmParameter = { readonly type: string; readonly value: string };

type Outputs = Record<string, { value: unknown }>;

const outputValue = (outputs: Outputs, name: string): unknown => outputs[name]?.value;

/** Checks `terraform output -json`. */
export const checkOutputs = (outputs: Outputs, stableAddress: string): string[] => {
  const problems: string[] = [];
  if (outputValue(outputs, 'kafka_mode') !== 'self-managed') problems.push('kafka_mode is not self-managed');
  if (outputValue(outputs, 'bootstrap_servers') !== stableAddress) {
    problems.push(
      `bootstrap_servers is ${String(outputValue(outputs, 'bootstrap_servers'))}, not the ENI's ${stableAddress}`,
    );
  }
  const secrets = (outputValue(outputs, 'kafka_user_secret_arns') ?? {}) as Record<string, string>;
  for (const user of KAFKA_USERS) {
    if (!secrets[user]?.includes(`:secret:AmazonMSK_orders-dlq/dev/kafka/${user}-`)) {
      problems.push(`no AmazonMSK_ secret for the Kafka user ${user}`);
    }
  }
  const names = (outputValue(outputs, 'ssm_parameter_names') ?? {}) as Record<string, string>;
  for (const key of Object.keys(SSM_CONTRACT)) {
    if (names[key] !== `/orders-dlq/dev/${key}`) problems.push(`output ssm_parameter_names lacks ${key}`);
  }
  if (!String(outputValue(outputs, 'session_command')).includes('--document-name orders-dlq-dev-session')) {
    problems.push('session_command does not use the logging session document');
  }
  return problems;
};

/** Checks the SSM parameters as the emulator returns them (SecureString decrypted). */
export const checkParameters = (
  parameters: Record<string, SsmParameter | undefined>,
  outputs: Outputs,
  stableAddress: string,
): string[] => {
  const problems: string[] = [];
  for (const [key, type] of Object.entries(SSM_CONTRACT)) {
    const parameter = parameters[key];
    if (!parameter) problems.push(`SSM parameter /orders-dlq/dev/${key} is missing`);
    else if (parameter.type !== type) problems.push(`${key} is a ${parameter.type}, not a ${type}`);
  }
  const value = (key: keyof typeof SSM_CONTRACT) => parameters[key]?.value ?? '';
  const secrets = (outputValue(outputs, 'kafka_user_secret_arns') ?? {}) as Record<string, string>;
  const expected: [keyof typeof SSM_CONTRACT, unknown][] = [
    ['kafka/mode', 'self-managed'],
    ['kafka/bootstrap-servers', stableAddress],
    ['kafka/esm-secret-arn', secrets['orders-esm']],
    ['kafka/producer-secret-arn', secrets['orders-producer']],
    ['kafka/ui-secret-arn', secrets['orders-ui']],
    ['kafka/secrets-kms-key-arn', outputValue(outputs, 'kafka_secrets_kms_key_arn')],
    ['kafka/ca-secret-arn', outputValue(outputs, 'ca_secret_arn')],
    ['kafka/broker-instance-id', outputValue(outputs, 'broker_instance_id')],
    ['network/lambda-sg-id', outputValue(outputs, 'lambda_security_group_id')],
    ['network/subnet-ids', ((outputValue(outputs, 'private_subnet_ids') ?? []) as string[]).join(',')],
  ];
  for (const [key, want] of expected) {
    if (value(key) !== want) problems.push(`${key} is '${value(key)}', expected '${String(want)}'`);
  }
  if (!/^arn:aws:kafka:[a-z0-9-]+:\d{12}:cluster\/none\//.test(value('kafka/msk-cluster-arn'))) {
    problems.push('kafka/msk-cluster-arn is not the well-formed placeholder of self-managed mode');
  }
  if (!/^[A-Za-z0-9]{48}$/.test(value('ui/access-token')))
    problems.push('ui/access-token is not a 48-character token');
  return problems;
};

type Resource = { Type?: string; Properties?: Record<string, unknown> };

/** Checks the `sls package --stage dev` template for the mode whose parameters Terraform wrote. */
export const checkServerlessTemplate = (
  template: { Parameters?: Record<string, { Default?: unknown }>; Resources?: Record<string, Resource> },
  parameters: Record<string, SsmParameter | undefined>,
  mode: 'self-managed' | 'msk',
): string[] => {
  const problems: string[] = [];
  const resources = template.Resources ?? {};
  const value = (key: keyof typeof SSM_CONTRACT) => parameters[key]?.value ?? '';
  if (template.Parameters?.KafkaMode?.Default !== mode)
    problems.push(`KafkaMode defaults to ${String(template.Parameters?.KafkaMode?.Default)}, not ${mode}`);
  if (template.Parameters?.KmsKeyArn?.Default !== value('kafka/secrets-kms-key-arn'))
    problems.push('KmsKeyArn is not the secrets key');
  const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
  if (mappings.length !== 4)
    problems.push(`expected 4 event source mappings (2 per mode), found ${mappings.length}`);
  for (const mapping of mappings) {
    const access = JSON.stringify(mapping.Properties?.SourceAccessConfigurations ?? []);
    if (!access.includes(value('kafka/esm-secret-arn')))
      problems.push('a mapping does not authenticate as orders-esm');
    const servers = JSON.stringify(mapping.Properties?.SelfManagedEventSource ?? {});
    if (
      mapping.Properties?.SelfManagedEventSource &&
      !servers.includes(value('kafka/bootstrap-servers').split(',')[0] ?? '?')
    ) {
      problems.push('a self-managed mapping does not use the bootstrap servers from SSM');
    }
  }
  const env = (id: string) =>
    JSON.stringify(
      (resources[id]?.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
    );
  if (!env('MainConsumerLambdaFunction').includes(value('kafka/producer-secret-arn')))
    problems.push('mainConsumer does not produce as orders-producer');
  if (!env('UiLambdaFunction').includes(value('kafka/ui-secret-arn')))
    problems.push('the UI does not use orders-ui');
  if (resources.UiLambdaFunction?.Properties?.ReservedConcurrentExecutions === undefined)
    problems.push('the UI has no reserved concurrency');
  return problems;
};
