import { probeTools } from './probe-tools.js';
import { buildPreflightReport } from './report.js';
import { Purpose, requirementsFor, TOOL_REQUIREMENTS, ToolId as Tool, type ToolId } from './requirements.js';

const USAGE = 'usage: tsx infra/local/preflight/cli.ts [start|test|all]';

const purposeOf = (arg: string | undefined): Purpose | 'all' | undefined =>
  arg === undefined || arg === 'all' ? 'all' : Object.values(Purpose).find((purpose) => purpose === arg);

/**
 * `npm run doctor` (everything), and the `prestart` / `pretest` hooks (what that command needs): prints which
 * tools are there and how to install the missing ones, and exits 1 if any is missing, before anything starts.
 */
const main = async (): Promise<void> => {
  const purpose = purposeOf(process.argv[2]);
  if (purpose === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  // With an existing cluster named, `npm start` starts no local broker, so it needs no Java or Maven. The
  // suite still does: its broker-restart test runs a broker of its own.
  const external = purpose === Purpose.start ? process.env.KAFKA_BROKERS?.trim() : undefined;
  const skip: ToolId[] = external ? [Tool.java, Tool.maven] : [];
  const requirements = purpose === 'all' ? TOOL_REQUIREMENTS : requirementsFor(purpose, skip);
  const checks = await probeTools(
    requirements.map((tool) => tool.id),
    { askVersions: purpose === 'all' },
  );
  const notes = external
    ? [`KAFKA_BROKERS=${external}: no local broker, so Java and Maven are not checked`]
    : [];
  const report = buildPreflightReport(purpose, requirements, checks, notes);
  // The hooks print one line when all is well, so `npm test` output starts with the tests themselves.
  const lines =
    report.ok && purpose !== 'all'
      ? [
          `${requirements.length} tool${requirements.length === 1 ? '' : 's'} found: ${requirements.map((tool) => tool.title).join(', ')}`,
          ...notes,
        ]
      : report.lines;
  process.stderr.write(`${lines.map((line) => (line ? `[preflight] ${line}` : '')).join('\n')}\n`);
  process.exitCode = report.ok ? 0 : 1;
};

main().catch((error: unknown) => {
  process.stderr.write(`[preflight] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
