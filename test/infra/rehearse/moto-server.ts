import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../integration/helpers/free-port.js';

/** A local moto server (AWS API emulator) bound to 127.0.0.1. */
export type MotoServer = {
  readonly endpoint: string;
  readonly stop: () => Promise<void>;
};

const INSTALL_HINT =
  "Install moto 5 with its server extra, e.g. `pipx install 'moto[server]>=5,<6'` or " +
  "`pip install 'moto[server]>=5,<6'`, so that `moto_server` is on PATH.";

/** Fails with how to install moto when `moto_server` is not on PATH: the rehearsal never passes without it. */
export const assertMotoInstalled = (): void => {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `moto_server is not available (${probe.error?.message ?? `exit ${probe.status}`}). ${INSTALL_HINT}`,
    );
  }
};

const waitUntilUp = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with ${child.exitCode} before it was ready`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
};

/**
 * Starts moto on a free loopback port. MOTO_IAM_LOAD_MANAGED_POLICIES makes the AWS managed policies
 * (the DLM service role's, for one) exist, as they do in a real account.
 */
export const startMotoServer = async (): Promise<MotoServer> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto logs every request. Its output goes to a file, not a pipe: the rehearsal runs terraform
  // synchronously, and a pipe nobody reads would fill up and stall moto mid-apply.
  const logDir = mkdtempSync(join(tmpdir(), 'orders-dlq-moto-'));
  const logPath = join(logDir, 'moto.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const logTail = () => readFileSync(logPath, 'utf8').slice(-4000);
  try {
    await waitUntilUp(endpoint, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${logTail()}`, { cause: error });
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(logDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  return { endpoint, stop };
};
