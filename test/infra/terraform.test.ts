import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Offline checks of infra/: format, init, validate and `terraform test`, whose .tftest.hcl files plan
// against a mocked AWS provider (no credentials, no network). Terraform runs in infra/ itself, with its
// working data (.terraform/, a 700 MB provider copy) in a temp dir that is removed afterwards.

const infraDir = resolve(import.meta.dirname, '../../infra');
const mirrorDir = '/opt/tf-plugins';
const mirrorProviderDir = join(mirrorDir, 'registry.terraform.io/hashicorp/aws');

/**
 * Where `terraform init` gets the AWS provider from.
 * - TF_OFFLINE_MIRROR=1: the filesystem mirror in /opt/tf-plugins (infra/offline.tfrc), no registry.
 * - TF_OFFLINE_MIRROR=0: a plain `terraform init` from the registry, with the user's own CLI config.
 * - unset: the mirror when /opt/tf-plugins holds the AWS provider, else the registry. Using a present
 *   mirror is safe: init checks the provider against the hashes in infra/.terraform.lock.hcl either way.
 */
function useOfflineMirror(): boolean {
  const setting = process.env.TF_OFFLINE_MIRROR;
  if (setting === '1') {
    if (!existsSync(mirrorProviderDir)) {
      throw new Error(`TF_OFFLINE_MIRROR=1 but ${mirrorProviderDir} does not exist`);
    }
    return true;
  }
  if (setting === '0') return false;
  return existsSync(mirrorProviderDir);
}

function terraformEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_DATA_DIR: dataDir,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  if (useOfflineMirror()) env.TF_CLI_CONFIG_FILE = join(infraDir, 'offline.tfrc');
  return env;
}

type RunResult = { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function describeRun(args: string[], result: RunResult): string {
  return [
    `terraform ${args.join(' ')} exited with ${result.status ?? result.signal}`,
    '--- stdout ---',
    result.stdout,
    '--- stderr ---',
    result.stderr,
  ].join('\n');
}

describe('infra/ Terraform', () => {
  let dataDir = '';
  let env: NodeJS.ProcessEnv = {};

  // Asynchronous: `terraform test` runs for minutes, and a blocked event loop would starve vitest's
  // worker RPC ("Timeout calling onTaskUpdate").
  const terraform = (...args: string[]) =>
    new Promise<{ ok: boolean; output: string; stdout: string }>((resolve, reject) => {
      const child = spawn('terraform', args, { cwd: infraDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (status, signal) => {
        const result = { status, signal, stdout, stderr };
        resolve({ ok: status === 0, output: describeRun(args, result), stdout });
      });
    });

  beforeAll(async () => {
    const probe = spawnSync('terraform', ['version'], { encoding: 'utf8' });
    if (probe.error) {
      throw new Error(
        `terraform is not installed or not on PATH (${probe.error.message}). ` +
          'Install Terraform >= 1.11 to run the infra checks: https://developer.hashicorp.com/terraform/install',
      );
    }
    dataDir = mkdtempSync(join(tmpdir(), 'orders-dlq-tf-'));
    env = terraformEnv(dataDir);

    // -lockfile=readonly: the committed lock file pins the provider and its hashes; init must not edit it.
    const init = await terraform('init', '-backend=false', '-lockfile=readonly', '-input=false', '-no-color');
    if (!init.ok) throw new Error(init.output);
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is formatted canonically', async () => {
    // Act
    const fmt = await terraform('fmt', '-check', '-recursive', '-diff', '-no-color');

    // Assess
    expect(fmt.ok, fmt.output).toBe(true);
  });

  it('validates against the pinned AWS provider', async () => {
    // Act
    const validate = await terraform('validate', '-no-color');

    // Assess
    expect(validate.ok, validate.output).toBe(true);
  });

  it('passes every terraform test run against the mocked provider', async () => {
    // Act
    const test = await terraform('test', '-no-color');

    // Assess
    expect(test.ok, test.output).toBe(true);
    expect(test.stdout, test.output).toMatch(/Success! \d+ passed, 0 failed\./);
  });
});
