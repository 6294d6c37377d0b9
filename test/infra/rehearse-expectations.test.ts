import { describe, expect, it } from 'vitest';
import { checkOutputs, checkParameters, KAFKA_USERS, SSM_CONTRACT } from './rehearse/expectations.js';

// The rehearsal's checks must fail on what they guard against, or `npm run infra:rehearse` could pass
// on a broken apply.

const STABLE = '10.40.1.10:9096';
const secretArn = (user: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_orders-dlq/dev/kafka/${user}-AbCdEf`;

const goodOutputs = () => ({
  kafka_mode: { value: 'self-managed' },
  bootstrap_servers: { value: STABLE },
  kafka_user_secret_arns: { value: Object.fromEntries(KAFKA_USERS.map((user) => [user, secretArn(user)])) },
  ssm_parameter_names: {
    value: Object.fromEntries(Object.keys(SSM_CONTRACT).map((key) => [key, `/orders-dlq/dev/${key}`])),
  },
  session_command: { value: 'aws ssm start-session --target i-1 --document-name orders-dlq-dev-session' },
  kafka_secrets_kms_key_arn: { value: 'arn:aws:kms:eu-west-1:123456789012:key/k' },
  ca_secret_arn: { value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-dlq/dev/kafka/ca-X' },
  broker_instance_id: { value: 'i-1' },
  lambda_security_group_id: { value: 'sg-1' },
  private_subnet_ids: { value: ['subnet-1', 'subnet-2'] },
});

const goodParameters = () => {
  const outputs = goodOutputs();
  const values: Record<keyof typeof SSM_CONTRACT, string> = {
    'kafka/mode': 'self-managed',
    'kafka/bootstrap-servers': STABLE,
    'kafka/esm-secret-arn': secretArn('orders-esm'),
    'kafka/producer-secret-arn': secretArn('orders-producer'),
    'kafka/ui-secret-arn': secretArn('orders-ui'),
    'kafka/secrets-kms-key-arn': outputs.kafka_secrets_kms_key_arn.value,
    'kafka/ca-secret-arn': outputs.ca_secret_arn.value,
    'kafka/msk-cluster-arn': 'arn:aws:kafka:eu-west-1:123456789012:cluster/none/0-0',
    'kafka/broker-instance-id': 'i-1',
    'network/subnet-ids': 'subnet-1,subnet-2',
    'network/lambda-sg-id': 'sg-1',
    'ui/access-token': 'a'.repeat(48),
  };
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      { type: SSM_CONTRACT[key as keyof typeof SSM_CONTRACT], value },
    ]),
  );
};

describe('apply rehearsal expectations', () => {
  it('accepts the outputs and parameters of a correct apply', () => {
    // Act
    const problems = [
      ...checkOutputs(goodOutputs(), STABLE),
      ...checkParameters(goodParameters(), goodOutputs(), STABLE),
    ];

    // Assess
    expect(problems).toEqual([]);
  });

  it('rejects a bootstrap address taken from the instance', () => {
    // Prepare
    const outputs = { ...goodOutputs(), bootstrap_servers: { value: '10.40.1.23:9096' } };

    // Act
    const problems = checkOutputs(outputs, STABLE);

    // Assess
    expect(problems).toEqual(["bootstrap_servers is 10.40.1.23:9096, not the ENI's 10.40.1.10:9096"]);
  });

  it('rejects a missing Kafka user secret', () => {
    // Prepare
    const outputs = goodOutputs();
    const { 'orders-ui': _dropped, ...others } = outputs.kafka_user_secret_arns.value;
    outputs.kafka_user_secret_arns.value = others as typeof outputs.kafka_user_secret_arns.value;

    // Act
    const problems = checkOutputs(outputs, STABLE);

    // Assess
    expect(problems).toEqual(['no AmazonMSK_ secret for the Kafka user orders-ui']);
  });

  it('rejects a missing parameter, a wrong type and a function pointed at the wrong user', () => {
    // Prepare
    const parameters: Record<string, { type: string; value: string } | undefined> = goodParameters();
    parameters['network/lambda-sg-id'] = undefined;
    parameters['kafka/bootstrap-servers'] = { type: 'String', value: STABLE };
    parameters['kafka/ui-secret-arn'] = { type: 'String', value: secretArn('orders-admin') };

    // Act
    const problems = checkParameters(parameters, goodOutputs(), STABLE);

    // Assess
    expect(problems).toEqual([
      'kafka/bootstrap-servers is a String, not a StringList',
      'SSM parameter /orders-dlq/dev/network/lambda-sg-id is missing',
      `kafka/ui-secret-arn is '${secretArn('orders-admin')}', expected '${secretArn('orders-ui')}'`,
      "network/lambda-sg-id is '', expected 'sg-1'",
    ]);
  });
});
