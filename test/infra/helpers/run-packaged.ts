import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot } from './package-service.js';
import type { ZipEntry } from './zip.js';

/** The relative modules a bundle file imports, statically or with `import()` (`./handler.chunk-….mjs`). */
export const relativeImports = (code: string): string[] => [
  ...new Set(
    [...code.matchAll(/(?:from|import\()\s*["'](\.\/[^"']+)["']/g)].map((match) => match[1] as string),
  ),
];

/** Writes a function zip's files into a fresh directory, as Lambda unpacks it into /var/task. */
export const unpack = async (entries: readonly ZipEntry[]): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'orders-dlq-task-'));
  for (const entry of entries) {
    await mkdir(dirname(join(dir, entry.name)), { recursive: true });
    await writeFile(join(dir, entry.name), entry.data);
  }
  // The runtime provides the excluded `@aws-sdk/*`, and only that: the repository's copy stands in for it,
  // so a dependency left out of the bundle by mistake fails to load here as it would on Lambda.
  await mkdir(join(dir, 'node_modules'));
  await symlink(join(repoRoot, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'), 'dir');
  return dir;
};

// Imports the handler and every chunk beside it in a fresh Node, as a cold start and the later lazy
// loads would, then invokes the handler once when given an event.
const script = `
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const [handlerUrl, eventFile] = process.argv.slice(1);
const { handler } = await import(handlerUrl);
const dir = dirname(fileURLToPath(handlerUrl));
const chunks = readdirSync(dir).filter((name) => name !== 'handler.mjs');
for (const chunk of chunks) await import(pathToFileURL(join(dir, chunk)).href);
let summary = null;
if (eventFile) {
  const context = {
    functionName: 'packaged', functionVersion: '$LATEST', memoryLimitInMB: '512', awsRequestId: 'packaged',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:packaged', logGroupName: 'packaged',
    logStreamName: 'packaged', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 60_000,
  };
  summary = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
}
// On a line of its own: the handler's EMF metrics go to stdout too.
process.stdout.write('\\n' + JSON.stringify({ handler: typeof handler, chunks: chunks.length, summary }) + '\\n');
`;

export interface PackagedRun {
  readonly handler: string;
  readonly chunks: number;
  readonly summary: unknown;
}

/** Runs `script` on the unpacked handler; `event` is optional (the UI has no Kafka event). */
export const runPackagedHandler = async (
  dir: string,
  handlerFile: string,
  env: Record<string, string>,
  event?: unknown,
): Promise<PackagedRun> => {
  const args = ['--input-type=module', '-e', script, pathToFileURL(join(dir, handlerFile)).href];
  if (event !== undefined) {
    const eventFile = join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify(event));
    args.push(eventFile);
  }
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as PackagedRun;
};
