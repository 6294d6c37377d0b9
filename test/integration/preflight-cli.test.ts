import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/broker/paths.js';

interface CliRun {
  readonly code: number;
  readonly output: string;
}

/** Runs the preflight CLI as the npm hooks do, with a PATH of only the tools a test puts there. */
const runPreflight = (purpose: string, binDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  new Promise((resolvePromise) => {
    const env: NodeJS.ProcessEnv = { HOME: os.homedir(), PATH: binDir, ...extraEnv };
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'infra/local/preflight/cli.ts'), purpose],
      { cwd: REPO_ROOT, env },
      (error, stdout, stderr) => {
        const code = error ? Number((error as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0;
        resolvePromise({ code, output: `${stdout}${stderr}` });
      },
    );
  });

/** A stand-in executable that prints what the real tool's version command prints. */
const fakeTool = async (dir: string, name: string, versionOutput: string): Promise<string> => {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\necho '${versionOutput}' >&2\n`);
  await chmod(file, 0o755);
  return file;
};

const installAll = async (dir: string, java = 'openjdk version "17.0.15" 2025-04-15') => {
  await fakeTool(dir, 'java', java);
  await fakeTool(dir, 'mvn', 'Apache Maven 3.9.9');
  await fakeTool(dir, 'terraform', 'Terraform v1.11.4');
  await fakeTool(dir, 'cfn-lint', 'cfn-lint 1.51.0');
  await fakeTool(dir, 'shellcheck', 'version: 0.9.0');
  await fakeTool(dir, 'chromium', 'Chromium 140.0.7339.185');
};

describe('the preflight CLI', () => {
  let binDir: string | undefined;

  afterEach(async () => {
    if (binDir) await rm(binDir, { recursive: true, force: true });
    binDir = undefined;
  });

  it('lists every tool npm test misses at once, with both install commands, and exits 1', async () => {
    // Prepare: an empty PATH, and a CHROMIUM_PATH that names nothing (so no browser on this machine counts)
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));

    // Act
    const run = await runPreflight('test', binDir, { CHROMIUM_PATH: path.join(binDir, 'no-such-browser') });

    // Assess
    expect(run.code).toBe(1);
    for (const title of [
      'Java 17+',
      'Maven',
      'Chromium-family browser',
      'Terraform 1.11.0+',
      'cfn-lint',
      'ShellCheck',
    ]) {
      expect(run.output).toMatch(new RegExp(`MISSING +${title.replace(/[.+]/g, '\\$&')} `));
    }
    expect(run.output).toContain('6 missing');
    expect(run.output.match(/Debian\/Ubuntu: /g)).toHaveLength(6);
    expect(run.output.match(/macOS: /g)).toHaveLength(6);
    expect(run.output).toContain('sudo apt-get install -y maven');
    expect(run.output).toContain('brew install shellcheck');
  });

  it('asks npm start only for Java and Maven', async () => {
    // Prepare
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));

    // Act
    const run = await runPreflight('start', binDir);

    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toContain('2 missing');
    expect(run.output).not.toContain('Chromium');
    expect(run.output).not.toContain('Terraform');
  });

  it('asks npm start for no Java or Maven when KAFKA_BROKERS names a cluster, but still asks npm test', async () => {
    // Prepare
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));

    // Act
    const start = await runPreflight('start', binDir, { KAFKA_BROKERS: 'kafka.example:9092' });
    const test = await runPreflight('test', binDir, { KAFKA_BROKERS: 'kafka.example:9092' });

    // Assess
    expect(start).toEqual({ code: 0, output: expect.stringContaining('1 tool found: Node.js') });
    expect(test.code).toBe(1);
    expect(test.output).toMatch(/MISSING +Java 17\+/);
  });

  it('passes with one line when every tool is there, finding the browser on PATH', async () => {
    // Prepare
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));
    await installAll(binDir);

    // Act
    const run = await runPreflight('test', binDir);
    const doctor = await runPreflight('all', binDir);

    // Assess
    expect(run).toEqual({ code: 0, output: expect.stringContaining('7 tools found') });
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(doctor.code).toBe(0);
    expect(doctor.output).toContain(`140.0.7339.185 at ${path.join(binDir, 'chromium')} (PATH)`);
  });

  it('rejects a Java older than 17', async () => {
    // Prepare
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));
    await installAll(binDir, 'openjdk version "11.0.22" 2024-01-16');

    // Act
    const run = await runPreflight('start', binDir);

    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toContain('11 is too old; 17+ is needed');
  });

  it('uses CHROMIUM_PATH over a browser on PATH', async () => {
    // Prepare
    binDir = await mkdtemp(path.join(os.tmpdir(), 'orders-preflight-'));
    await installAll(binDir);
    const chrome = await fakeTool(binDir, 'my-chrome', 'Google Chrome 141.0.1');

    // Act
    const run = await runPreflight('all', binDir, { CHROMIUM_PATH: chrome });

    // Assess
    expect(run.code).toBe(0);
    expect(run.output).toContain(`141.0.1 at ${chrome} (CHROMIUM_PATH)`);
  });
});
