import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True for a regular file this process may execute. */
export const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Where `name` resolves on `PATH`, as `which` would find it, without starting it. */
export const findOnPath = (
  name: string,
  pathVariable: string | undefined = process.env.PATH,
): string | undefined =>
  (pathVariable ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find(isExecutableFile);
