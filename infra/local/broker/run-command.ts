import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CommandResult {
  readonly code: number | null;
  /** stdout and stderr lines, interleaved in arrival order. */
  readonly lines: readonly string[];
}

// Commands still running, so a stop requested mid-start (a signal sent to Node alone, not to its terminal's
// process group) can end them instead of leaving them behind.
const running = new Set<ChildProcess>();

/** Sends SIGTERM to every command `runCommand` started that has not exited yet. */
export const stopRunningCommands = (): void => {
  for (const child of running) child.kill('SIGTERM');
};

/**
 * Runs a short-lived command to completion and collects its output lines. A missing executable fails with
 * a message that names it, instead of a bare `spawn ENOENT`.
 */
export const runCommand = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; onLine?: (line: string) => void } = {},
): Promise<CommandResult> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const lines: string[] = [];
    const collect = (line: string): void => {
      lines.push(line);
      options.onLine?.(line);
    };
    createInterface({ input: child.stdout }).on('line', collect);
    createInterface({ input: child.stderr }).on('line', collect);
    child.on('error', (err: NodeJS.ErrnoException) => {
      running.delete(child);
      reject(
        err.code === 'ENOENT'
          ? new Error(`'${command}' was not found on PATH; the local Kafka broker needs it`, { cause: err })
          : err,
      );
    });
    child.on('close', (code) => {
      running.delete(child);
      resolvePromise({ code, lines });
    });
  });

/** Fails with the command's last output lines when it exits non-zero. */
export const runCommandOrThrow = async (
  command: string,
  args: readonly string[],
  options: { cwd?: string; onLine?: (line: string) => void } = {},
): Promise<CommandResult> => {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const tail = result.lines.slice(-30).join('\n');
    throw new Error(`${command} ${args[0] ?? ''} exited with code ${result.code}:\n${tail}`);
  }
  return result;
};
