import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../infra/local/runner/serverless-functions.js';
import type { Topics } from '../../../shared/domain/topics.js';

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process exits, with its code (null when killed by a signal), stdout and stderr. */
  readonly done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Spawns the real `orders` bin against a test's own topics and broker. */
export const runOrdersCli = (
  args: readonly string[],
  world: { brokers: string; topics: Topics; env?: Record<string, string> },
): CliRun => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'infra/local/cli/orders.js'), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KAFKA_BROKERS: world.brokers,
      TOPIC_ORDERS: world.topics.orders,
      TOPIC_RETRY: world.topics.retry,
      TOPIC_DLQ: world.topics.dlq,
      ...world.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
};

/** The last JSON document a `--json` run printed. */
export const lastJson = <T>(stdout: string): T => {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON in the CLI output: ${stdout.slice(0, 500)}`);
  return JSON.parse(line) as T;
};
