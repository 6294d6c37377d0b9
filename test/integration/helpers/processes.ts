import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Every running process whose command line mentions `text`, as `pid command…` lines (`ps` on Linux and macOS). */
export const processesMentioning = async (text: string): Promise<string[]> => {
  // -ww: never truncate the command line, so a path deep in the arguments is still seen.
  const { stdout } = await promisify(execFile)('ps', ['-eww', '-o', 'pid=,args=']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eww'))
    .map((line) => line.trim());
};
