import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// shellcheck (Debian's `shellcheck`) and `bash -n` on every shell script the deployment runs: the
// broker's first-boot script as Terraform renders it (with and without Redpanda Console), the topic
// and ACL setup as MSK gets it, the scripts the user data embeds, and the CI entry point. The rendered
// scripts come from infra/tests/render.tftest.hcl, whose plan outputs `terraform test -json -verbose`
// prints, against a mocked AWS provider.

const repoRoot = resolve(import.meta.dirname, '../..');
const infraDir = join(repoRoot, 'infra');
const mirrorProviderDir = '/opt/tf-plugins/registry.terraform.io/hashicorp/aws';

const STATIC_SCRIPTS = ['infra/templates/broker-start.sh', 'infra/templates/renew-cert.sh', '.ci/run'];

type TestPlanLine = {
  type?: string;
  '@testrun'?: string;
  test_plan?: { output_changes?: Record<string, { after?: unknown }> };
};

const run = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) {
    throw new Error(`${command} is not installed or not on PATH (${result.error.message})`, {
      cause: result.error,
    });
  }
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
};

// Terraform runs asynchronously: a long blocked event loop starves vitest's worker RPC.
const runAsync = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) =>
  new Promise<{ ok: boolean; output: string; stdout: string }>((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) =>
      reject(new Error(`${command} is not installed or not on PATH (${error.message})`, { cause: error })),
    );
    child.on('close', (status) => resolve({ ok: status === 0, output: `${stdout}${stderr}`, stdout }));
  });

describe('shell scripts', () => {
  const rendered = new Map<string, string>();
  let workDir = '';

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'orders-dlq-shellcheck-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_DATA_DIR: join(workDir, '.terraform'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };
    const offline = process.env.TF_OFFLINE_MIRROR ?? (existsSync(mirrorProviderDir) ? '1' : '0');
    if (offline === '1') env.TF_CLI_CONFIG_FILE = join(infraDir, 'offline.tfrc');

    const init = await runAsync(
      'terraform',
      ['init', '-backend=false', '-lockfile=readonly', '-input=false', '-no-color'],
      {
        cwd: infraDir,
        env,
      },
    );
    if (!init.ok) throw new Error(init.output);
    const test = await runAsync(
      'terraform',
      ['test', '-json', '-verbose', '-no-color', '-filter=tests/render.tftest.hcl'],
      { cwd: infraDir, env },
    );
    if (!test.ok) throw new Error(test.output);

    for (const line of test.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const message = JSON.parse(line) as TestPlanLine;
      if (message.type !== 'test_plan') continue;
      for (const [name, change] of Object.entries(message.test_plan?.output_changes ?? {})) {
        if (typeof change.after === 'string' && change.after.startsWith('#!')) {
          rendered.set(`${message['@testrun']}/${name}`, change.after);
        }
      }
    }
  });

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('renders the user data with and without the console, and the MSK setup script', () => {
    // Assess
    expect([...rendered.keys()].sort()).toEqual([
      'render_msk/msk_kafka_setup_script',
      'render_self_managed/broker_user_data',
      'render_self_managed_with_console/broker_user_data',
    ]);
  });

  it.each([
    'render_self_managed/broker_user_data',
    'render_self_managed_with_console/broker_user_data',
    'render_msk/msk_kafka_setup_script',
  ])('finds nothing to report in the rendered %s', (key) => {
    // Prepare
    const script = rendered.get(key);
    expect(script, `${key} was not rendered`).toBeDefined();
    const path = join(workDir, `${key.replace('/', '-')}.sh`);
    writeFileSync(path, script ?? '');

    // Act
    const syntax = run('bash', ['-n', path]);
    const lint = run('shellcheck', ['--shell=bash', '--severity=style', path]);

    // Assess
    expect(syntax, syntax.output).toMatchObject({ ok: true });
    expect(lint, lint.output).toMatchObject({ ok: true, output: '' });
  });

  it.each(STATIC_SCRIPTS)('finds nothing to report in %s', (file) => {
    // Act
    const path = join(repoRoot, file);
    const syntax = run('bash', ['-n', path]);
    const lint = run('shellcheck', ['--shell=bash', '--severity=style', path]);

    // Assess
    expect(syntax, syntax.output).toMatchObject({ ok: true });
    expect(lint, lint.output).toMatchObject({ ok: true, output: '' });
  });

  it('reports a real problem, so a clean run means something', () => {
    // Prepare
    const path = join(workDir, 'broken.sh');
    writeFileSync(path, '#!/bin/bash\nrm -rf $DIR/*\n');

    // Act
    const lint = run('shellcheck', ['--shell=bash', path]);

    // Assess
    expect(lint.ok).toBe(false);
    expect(lint.output).toMatch(/SC2115|SC2086/);
  });
});
