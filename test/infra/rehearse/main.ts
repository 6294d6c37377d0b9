/**
 * `npm run infra:rehearse`: an offline apply rehearsal of infra/. Against a local moto server it runs
 * `terraform apply`, checks the outputs and the SSM parameters serverless.yml reads, runs
 * `sls package --stage dev` resolving those `${ssm:}` values from the same server (and once more with
 * MSK-shaped parameters), lints both templates with cfn-lint, then `terraform destroy`. Any failed
 * step exits non-zero; a missing moto says how to install it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { checkOutputs, checkParameters, checkServerlessTemplate, type SsmParameter } from './expectations.js';
import { assertMotoInstalled, startMotoServer } from './moto-server.js';
import { createTerraformWorkdir, withoutAwsCredentials } from './terraform-workdir.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const infraDir = join(repoRoot, 'infra');
const region = 'eu-west-1';
// The broker ENI's fixed address: .10 of the first private subnet of the default vpc_cidr.
const stableAddress = '10.40.1.10:9096';

const say = (message: string) => console.log(`rehearsal: ${message}`);

const fail = (step: string, problems: string[]) => {
  if (problems.length > 0) throw new Error(`${step}:\n  - ${problems.join('\n  - ')}`);
  say(`${step}: ok`);
};

const readParameters = async (ssm: SSMClient): Promise<Record<string, SsmParameter>> => {
  const parameters: Record<string, SsmParameter> = {};
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({
        Path: '/orders-dlq/dev',
        Recursive: true,
        WithDecryption: true,
        NextToken,
      }),
    );
    for (const p of page.Parameters ?? []) {
      if (p.Name && p.Type && p.Value !== undefined) {
        parameters[p.Name.replace('/orders-dlq/dev/', '')] = { type: p.Type, value: p.Value };
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return parameters;
};

const packageDev = (endpoint: string, label: string): Record<string, unknown> => {
  const dir = mkdtempSync(join(tmpdir(), `orders-dlq-rehearsal-sls-${label}-`));
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'dev', '--package', dir],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...withoutAwsCredentials(process.env),
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: region,
      },
    },
  );
  if (result.status !== 0) {
    throw new Error(`sls package --stage dev (${label}) failed:\n${result.stdout}\n${result.stderr}`);
  }
  const templatePath = join(dir, 'cloudformation-template-update-stack.json');
  say(`sls package --stage dev (${label}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const lint = spawnSync('cfn-lint', [templatePath], { encoding: 'utf8' });
  if (lint.error)
    throw new Error('cfn-lint is not installed; install it with `pip install cfn-lint`', {
      cause: lint.error,
    });
  fail(`cfn-lint of the dev template (${label})`, lint.status === 0 ? [] : [`${lint.stdout}${lint.stderr}`]);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Record<string, unknown>;
  rmSync(dir, { recursive: true, force: true });
  return template;
};

const main = async () => {
  assertMotoInstalled();
  const moto = await startMotoServer();
  say(`moto server on ${moto.endpoint} (MOTO_IAM_LOAD_MANAGED_POLICIES=true)`);
  const tf = createTerraformWorkdir(infraDir, moto.endpoint);
  // moto has no Data Lifecycle Manager API, so the snapshot policy is left out here (the offline
  // terraform tests cover it).
  const vars = ['-var', `aws_region=${region}`, '-var', 'stage=dev', '-var', 'data_volume_snapshots=false'];
  try {
    tf.run('init', '-input=false', '-no-color', '-lockfile=readonly');
    const apply = tf.run('apply', '-auto-approve', '-input=false', '-no-color', ...vars);
    say(
      `terraform apply: ${apply.seconds.toFixed(1)} s, ${/Resources: (\d+) added/.exec(apply.stdout)?.[1] ?? '?'} resources added`,
    );

    const created = tf.run('state', 'list').stdout.trim().split('\n');
    const byType = new Map<string, number>();
    for (const address of created) {
      const type = address
        .split('.')
        .slice(0, address.startsWith('data.') ? 2 : 1)
        .join('.');
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    say(
      `created ${created.length} objects:\n${[...byType].map(([type, n]) => `    ${n} x ${type}`).join('\n')}`,
    );

    const outputs = JSON.parse(tf.run('output', '-json').stdout) as Record<string, { value: unknown }>;
    fail('terraform outputs', checkOutputs(outputs, stableAddress));

    const ssm = new SSMClient({
      endpoint: moto.endpoint,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const parameters = await readParameters(ssm);
    say(`SSM parameters under /orders-dlq/dev: ${Object.keys(parameters).sort().join(', ')}`);
    fail('SSM parameters serverless.yml reads', checkParameters(parameters, outputs, stableAddress));

    fail(
      'dev template, self-managed',
      checkServerlessTemplate(packageDev(moto.endpoint, 'self-managed') as never, parameters, 'self-managed'),
    );

    // moto has no MSK configuration API, so `kafka_mode = "msk"` cannot be applied here (the offline
    // terraform tests cover it). The dev template in msk mode is built from the parameters msk mode writes.
    const msk = {
      'kafka/mode': 'msk',
      'kafka/msk-cluster-arn': `arn:aws:kafka:${region}:123456789012:cluster/orders-dlq-dev-kafka/6d5b3a2c-1111-2222-3333-444444444444-1`,
      'kafka/bootstrap-servers':
        'b-1.ordersdlqdev.kafka.eu-west-1.amazonaws.com:9096,b-2.ordersdlqdev.kafka.eu-west-1.amazonaws.com:9096,b-3.ordersdlqdev.kafka.eu-west-1.amazonaws.com:9096',
    };
    for (const [key, value] of Object.entries(msk)) {
      await ssm.send(
        new PutParameterCommand({ Name: `/orders-dlq/dev/${key}`, Value: value, Overwrite: true }),
      );
    }
    const mskParameters = await readParameters(ssm);
    fail(
      'dev template, msk',
      checkServerlessTemplate(packageDev(moto.endpoint, 'msk') as never, mskParameters, 'msk'),
    );

    // moto keeps a terminated instance's primary ENI attached (AWS detaches it), so deleting the ENI
    // would fail here: it is dropped from the state and left to the emulator.
    tf.run('state', 'rm', 'aws_network_interface.broker[0]');
    const destroy = tf.run('destroy', '-auto-approve', '-input=false', '-no-color', ...vars);
    say(
      `terraform destroy: ${destroy.seconds.toFixed(1)} s, ${/Resources: (\d+) destroyed/.exec(destroy.stdout)?.[1] ?? '?'} resources destroyed (the broker ENI left to moto, see above)`,
    );
    const left = tf.run('state', 'list').stdout.trim();
    fail('empty state after destroy', left === '' ? [] : [`still in state:\n${left}`]);
    const leftParameters = await readParameters(ssm);
    fail(
      'no SSM parameters left',
      Object.keys(leftParameters).map((key) => `/orders-dlq/dev/${key} still exists`),
    );
  } finally {
    await moto.stop();
    rmSync(tf.dir, { recursive: true, force: true });
  }
  say('passed');
};

main().catch((error: unknown) => {
  console.error(`rehearsal: FAILED\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
