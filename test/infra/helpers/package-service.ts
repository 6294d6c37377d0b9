import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the repository root is, seen from this helper. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

// No real AWS account may be touched, even when the developer's shell holds credentials.
const withoutAwsCredentials = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !/^AWS_(PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(name),
    ),
  );

/** A healthy run takes seconds, but osls can hang after an esbuild error instead of exiting. */
const PACKAGE_TIMEOUT_MS = 240_000;

const serverlessBin = join(repoRoot, 'node_modules', 'osls', 'bin', 'serverless.js');

const runServerless = (args: string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverlessBin, ...args], {
      cwd: repoRoot,
      env: withoutAwsCredentials(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`serverless ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });

/** The result of one offline `serverless package` run. */
export type PackagedService = {
  /** Directory holding the zips and the CloudFormation templates. */
  readonly dir: string;
  /** Parsed `cloudformation-template-update-stack.json`. */
  readonly template: Record<string, unknown>;
};

/**
 * Packages the service for a stage into a fresh directory under the OS temp dir, so the repository only
 * gets the git-ignored `.esbuild/` scratch folder. The `test` stage resolves no SSM or CloudFormation
 * variables, so this works without AWS credentials. Fails with the CLI's full output.
 */
export const packageService = async (stage = 'test'): Promise<PackagedService> => {
  const dir = await mkdtemp(join(tmpdir(), `orders-dlq-sls-${stage}-`));
  await runServerless(['package', '--stage', stage, '--package', dir]);
  const template = JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  return { dir, template };
};
