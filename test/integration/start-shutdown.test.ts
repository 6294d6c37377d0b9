import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../infra/local/broker/broker-state.js';
import { REPO_ROOT } from '../../infra/local/broker/paths.js';
import { stopProcess } from '../../infra/local/broker/stop-process.js';
import { freePort, freePorts } from './helpers/free-port.js';
import { processesMentioning } from './helpers/processes.js';
import { waitFor } from './helpers/wait-for.js';

interface StartRun {
  readonly child: ChildProcess;
  readonly home: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the run printed so far, stdout and stderr. */
  output(): string;
  /** The pid of the broker JVM, once `npm start` has spawned it. */
  brokerPid(): number | undefined;
}

/**
 * `npm start` as a user runs it, in a world of its own: a broker directory, free ports, no SASL listener.
 * Node runs start.ts directly (not through npm), so a signal reaches exactly the process under test.
 */
const startNpmStart = async (): Promise<StartRun> => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'orders-start-shutdown-'));
  // The broker takes KAFKA_PORT and, for its controller, the port after it.
  const [kafkaPort] = await freePorts(2);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_LOCAL_HOME: home,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_SASL_SSL_PORT: 'off',
    UI_PORT: String(await freePort()),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  delete env.KAFKA_BROKERS;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra/local/start.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.once('exit', (code, signal) => resolvePromise({ code, signal })),
  );
  const stateFile = path.join(home, 'broker.json');
  return {
    child,
    home,
    exited,
    output: () => output,
    brokerPid: () => {
      try {
        return (JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number }).pid;
      } catch {
        // Not written yet, or written only in part.
        return undefined;
      }
    },
  };
};

describe('npm start shutdown', () => {
  let run: StartRun | undefined;
  let brokerPid: number | undefined;

  afterEach(async () => {
    // Only after a failed assertion is anything still running; clean it up so the next test starts clean.
    if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    if (brokerPid !== undefined && isProcessAlive(brokerPid))
      await stopProcess(brokerPid, { timeoutMs: 10_000 });
    if (run) await rm(run.home, { recursive: true, force: true });
    run = undefined;
    brokerPid = undefined;
  });

  const expectNothingLeft = async (current: StartRun, pid: number) => {
    const { code } = await current.exited;
    expect(code, current.output()).toBe(0);
    expect(current.output()).toContain('[start] stopped');
    expect(isProcessAlive(pid), `broker pid ${pid} still alive`).toBe(false);
    expect(await processesMentioning(current.home)).toEqual([]);
  };

  /** `npm start` up to its "running:" table, with the broker it started recorded for the clean-up. */
  const startRunning = async (): Promise<StartRun> => {
    const current = await startNpmStart();
    run = current;
    await waitFor(() => current.output().includes('[start] running:') || current.child.exitCode !== null, {
      timeoutMs: 180_000,
      description: 'npm start running',
    });
    brokerPid = current.brokerPid();
    expect(brokerPid, current.output()).toBeDefined();
    return current;
  };

  it('stops the broker it is starting when SIGINT arrives before the broker answers', async () => {
    // Prepare
    const current = await startNpmStart();
    run = current;
    await waitFor(() => current.brokerPid() !== undefined || current.child.exitCode !== null, {
      timeoutMs: 120_000,
      intervalMs: 20,
      description: 'the broker JVM spawned',
    });
    brokerPid = current.brokerPid();
    expect(brokerPid, current.output()).toBeDefined();

    // Act
    current.child.kill('SIGINT');

    // Assess: it was still starting, and nothing it started is left
    expect(current.output()).not.toContain('[start] running:');
    await expectNothingLeft(current, brokerPid as number);
  });

  it('stops the consumers, the UI and the broker on SIGTERM once running', async () => {
    // Prepare
    const current = await startRunning();

    // Act
    current.child.kill('SIGTERM');

    // Assess
    await expectNothingLeft(current, brokerPid as number);
  });

  it('still stops everything when its output pipe is closed first (npm start | tee, then Ctrl-C)', async () => {
    // Prepare
    const current = await startRunning();

    // Act: the reader goes away (tee got the terminal's SIGINT too), then the signal reaches npm start
    current.child.stdout?.destroy();
    current.child.stderr?.destroy();
    current.child.kill('SIGINT');

    // Assess: its writes to the closed pipe fail (EPIPE), yet it exits cleanly with nothing left behind
    const { code, signal } = await current.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(isProcessAlive(brokerPid as number), `broker pid ${brokerPid} still alive`).toBe(false);
    expect(await processesMentioning(current.home)).toEqual([]);
  });
});
