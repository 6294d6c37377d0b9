import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs terraform in a copy of infra/ whose provider talks to a local AWS emulator. */
export type TerraformWorkdir = {
  readonly dir: string;
  readonly run: (...args: string[]) => { readonly stdout: string; readonly seconds: number };
};

const mirrorProviderDir = '/opt/tf-plugins/registry.terraform.io/hashicorp/aws';

// Static credentials and no account lookups through IMDS: nothing can reach a real account, even
// from a shell that holds AWS credentials (they are replaced below).
const PROVIDER_OVERRIDE = `# Written by the apply rehearsal: the provider talks to moto (AWS_ENDPOINT_URL).
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
}
`;

/**
 * Copies the Terraform configuration (not the local state or .terraform) of `infraDir` into a temp
 * directory with a provider override, so the rehearsal never touches the user's own state.
 */
export const createTerraformWorkdir = (infraDir: string, endpoint: string): TerraformWorkdir => {
  const dir = mkdtempSync(join(tmpdir(), 'orders-dlq-rehearsal-'));
  for (const entry of readdirSync(infraDir)) {
    // The configuration, its lock file and the data it reads (kafka-acls.json); no state, no .terraform.
    if (/\.(tf|json)$/.test(entry) || entry === '.terraform.lock.hcl') {
      cpSync(join(infraDir, entry), join(dir, entry));
    }
  }
  cpSync(join(infraDir, 'templates'), join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'rehearsal_override.tf'), PROVIDER_OVERRIDE);

  const env: NodeJS.ProcessEnv = {
    ...withoutAwsCredentials(process.env),
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TF_DATA_DIR: join(dir, '.terraform'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  // Same rule as test/infra/terraform.test.ts: the offline mirror when present or asked for.
  const offline = process.env.TF_OFFLINE_MIRROR ?? (existsSync(mirrorProviderDir) ? '1' : '0');
  if (offline === '1') env.TF_CLI_CONFIG_FILE = join(infraDir, 'offline.tfrc');

  const run = (...args: string[]) => {
    const started = Date.now();
    const result = spawnSync('terraform', args, {
      cwd: dir,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(
        `terraform ${args.join(' ')} exited with ${result.status}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
      );
    }
    return { stdout: result.stdout, seconds: (Date.now() - started) / 1000 };
  };
  return { dir, run };
};

/** The environment without any AWS credentials or profile of the user's shell. */
export const withoutAwsCredentials = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(env).filter(
      ([name]) =>
        !/^AWS_(PROFILE|DEFAULT_PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ENDPOINT_URL.*)$/.test(
          name,
        ),
    ),
  );
