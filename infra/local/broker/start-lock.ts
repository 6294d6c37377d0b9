import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessRunning } from '../../../shared/adapters/process-alive.js';
import { type BrokerPaths, LOCAL_PATHS } from './paths.js';

const holderOf = (lockFile: string): number | undefined => {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Runs `fn` while holding a cross-process lock (an O_EXCL lock file holding our pid). `npm start` and
 * `npm test` launched together would otherwise both fetch jars, generate TLS material and format storage at
 * once, and then fight over the ports. The loser waits, then finds and reuses the winner's broker. A lock
 * whose holder died is taken over.
 */
export const withStartLock = async <T>(
  fn: () => Promise<T>,
  paths: Pick<BrokerPaths, 'home' | 'lock'> = LOCAL_PATHS,
  timeoutMs = 600_000,
): Promise<T> => {
  const lockFile = paths.lock;
  await mkdir(paths.home, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  while (true) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
    }
    const holder = holderOf(lockFile);
    if (holder !== undefined && !isProcessRunning(holder)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `pid ${holder ?? '?'} has held ${lockFile} for over ${timeoutMs} ms; delete it if stale`,
      );
    }
    if (!announced) {
      process.stderr.write(
        `[kafka] another process (pid ${holder ?? '?'}) is starting the broker; waiting\n`,
      );
      announced = true;
    }
    // An unreadable holder means the file was created but its pid not yet written: just wait.
    await delay(250);
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
};
