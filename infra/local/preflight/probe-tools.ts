import { execFile } from 'node:child_process';
import { findBrowser } from './find-browser.js';
import { findOnPath } from './find-executable.js';
import { TOOL_REQUIREMENTS, ToolId as Tool, type ToolId } from './requirements.js';
import { firstVersion, parseJavaMajor } from './versions.js';

/** What probing one tool found: its version and where it is, or why it is unusable. */
export type ToolCheck =
  | { readonly id: ToolId; readonly found: true; readonly version?: string; readonly where?: string }
  | { readonly id: ToolId; readonly found: false; readonly problem: string };

type RunResult =
  | { readonly ok: true; readonly output: string }
  | { readonly ok: false; readonly problem: string };

// Each probe is bounded, so a hung tool makes the report slow by seconds, never stuck.
const PROBE_TIMEOUT_MS = 15_000;

const run = (command: string, args: readonly string[]): Promise<RunResult> =>
  new Promise((resolvePromise) => {
    execFile(
      command,
      args,
      // Terraform would otherwise phone home for an update check on every call.
      { timeout: PROBE_TIMEOUT_MS, env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
      (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        if (!error) return resolvePromise({ ok: true, output });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolvePromise({ ok: false, problem: `${command} is not on PATH` });
        const firstLine = output.trim().split('\n')[0] ?? '';
        resolvePromise({
          ok: false,
          problem: error.killed
            ? `\`${command} ${args.join(' ')}\` did not answer within ${PROBE_TIMEOUT_MS / 1000} s`
            : `\`${command} ${args.join(' ')}\` failed: ${firstLine || error.message}`,
        });
      },
    );
  });

const versionOf = async (
  id: ToolId,
  command: string,
  args: readonly string[],
  parse: (output: string) => string | undefined = firstVersion,
): Promise<ToolCheck> => {
  const result = await run(command, args);
  if (!result.ok) return { id, found: false, problem: result.problem };
  return { id, found: true, version: parse(result.output) };
};

const probeBrowser = async (askVersion: boolean): Promise<ToolCheck> => {
  const search = await findBrowser();
  if (!search.found) return { id: Tool.browser, found: false, problem: search.problem };
  const { path, source } = search.browser;
  const where = `${path} (${source})`;
  if (!askVersion) return { id: Tool.browser, found: true, where };
  const check = await versionOf(Tool.browser, path, ['--version']);
  return check.found ? { ...check, where } : check;
};

const COMMANDS: Partial<Record<ToolId, string>> = {
  [Tool.maven]: 'mvn',
  [Tool.cfnLint]: 'cfn-lint',
  [Tool.shellcheck]: 'shellcheck',
};

/** Finds a tool on PATH without starting it: enough when any version will do. */
const locate = (id: ToolId, command: string): ToolCheck => {
  const where = findOnPath(command);
  return where ? { id, found: true, where } : { id, found: false, problem: `${command} is not on PATH` };
};

const versionProbes: Record<ToolId, () => Promise<ToolCheck>> = {
  [Tool.node]: async () => ({ id: Tool.node, found: true, version: process.versions.node }),
  [Tool.java]: () =>
    versionOf(Tool.java, 'java', ['-version'], (output) => parseJavaMajor(output)?.toString()),
  [Tool.maven]: () => versionOf(Tool.maven, 'mvn', ['-v']),
  [Tool.browser]: () => probeBrowser(true),
  [Tool.terraform]: () => versionOf(Tool.terraform, 'terraform', ['version']),
  [Tool.cfnLint]: () => versionOf(Tool.cfnLint, 'cfn-lint', ['--version']),
  [Tool.shellcheck]: () => versionOf(Tool.shellcheck, 'shellcheck', ['--version']),
};

const probe = (id: ToolId, askVersions: boolean): Promise<ToolCheck> => {
  const needsVersion = TOOL_REQUIREMENTS.find((tool) => tool.id === id)?.minVersion !== undefined;
  if (askVersions || needsVersion) return versionProbes[id]();
  if (id === Tool.browser) return probeBrowser(false);
  const command = COMMANDS[id];
  return command ? Promise.resolve(locate(id, command)) : versionProbes[id]();
};

/**
 * Probes the given tools at once. With `askVersions` every tool is run for its version (`npm run doctor`);
 * without, only tools with a minimum version are run and the rest are just found on PATH, so the npm hooks
 * cost a second, not the start-up time of Maven's JVM and cfn-lint's Python.
 */
export const probeTools = (ids: readonly ToolId[], { askVersions = true } = {}): Promise<ToolCheck[]> =>
  Promise.all(ids.map((id) => probe(id, askVersions)));
