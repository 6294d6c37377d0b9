import os from 'node:os';
import type { RedriveResult, SearchFilter } from '../../../shared/contract/operator.js';
import type { Coordinate } from '../../../shared/contract/views.js';
import type { OperatorService } from '../../../shared/operator/service.js';
import { formatMessage } from './format.js';
import { createProgressRenderer } from './progress-bar.js';

/** The parsed flags the dlq commands read (see main.ts for their definitions). */
export interface DlqFlags {
  readonly json?: boolean;
  readonly reason?: string;
  readonly text?: string;
  readonly 'error-class'?: string;
  readonly key?: string;
  readonly 'origin-topic'?: string;
  readonly fingerprint?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly topic?: string;
  readonly offset?: string[];
  readonly all?: boolean;
  readonly group?: string;
  readonly envelope?: string;
  readonly index?: string[];
  readonly to?: string;
  readonly 'dry-run'?: boolean;
  readonly force?: boolean;
  readonly rate?: string;
  readonly value?: string;
  readonly operator?: string;
}

export interface CliIo {
  readonly out: (human: string, json: unknown) => void;
  readonly stderr: NodeJS.WriteStream;
  readonly signal: AbortSignal;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const coordinate = (text: string, flag: string): Coordinate => {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--${flag} ${text}: expected partition:offset, e.g. 0:15`);
  return { partition: Number(match[1]), offset: Number(match[2]) };
};

const time = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  // A bare number is minutes ago ("--since 30"), anything else an ISO-8601 time.
  const at = /^\d+$/.test(text) ? Date.now() - Number(text) * 60_000 : Date.parse(text);
  if (!Number.isFinite(at)) throw new UsageError(`--${flag} ${text}: expected minutes ago or an ISO time`);
  return at;
};

const positive = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} must be a number > 0`);
  return value;
};

export const filterOf = (flags: DlqFlags): SearchFilter => {
  const fromTime = time(flags.since, 'since');
  const toTime = time(flags.until, 'until');
  return {
    ...(flags.reason ? { reason: flags.reason } : {}),
    ...(flags.text ? { text: flags.text } : {}),
    ...(flags['error-class'] ? { errorClass: flags['error-class'] } : {}),
    ...(flags.key ? { key: flags.key } : {}),
    ...(flags['origin-topic'] ? { originTopic: flags['origin-topic'] } : {}),
    ...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
    ...(fromTime === undefined ? {} : { fromTime }),
    ...(toTime === undefined ? {} : { toTime }),
  };
};

/** Who the ledger records: `--operator`, else `ORDERS_OPERATOR`, else the login name. */
export const operatorName = (flags: DlqFlags, env: NodeJS.ProcessEnv = process.env): string =>
  flags.operator ?? env.ORDERS_OPERATOR ?? os.userInfo().username;

export const list = async (service: OperatorService, flags: DlqFlags, io: CliIo): Promise<void> => {
  const limit = positive(flags.limit, 'limit') ?? 20;
  const page = await service.list({
    filter: filterOf(flags),
    limit,
    ...(flags.cursor ? { cursor: flags.cursor } : {}),
    ...(flags.topic ? { topic: flags.topic } : {}),
  });
  io.out(
    [
      `${page.topic}: ${page.records.length} of ${page.total} matching (${page.scanned} scanned)`,
      ...page.records.map(formatMessage),
      ...(page.nextCursor ? [`more: --cursor ${page.nextCursor}`] : []),
    ].join('\n'),
    page,
  );
};

export const show = async (service: OperatorService, at: string | undefined, flags: DlqFlags, io: CliIo) => {
  if (at === undefined) throw new UsageError('dlq show needs partition:offset');
  const view = await service.inspect({
    ...coordinate(at, 'offset'),
    ...(flags.topic ? { topic: flags.topic } : {}),
  });
  io.out(formatMessage(view), view);
};

export const groups = async (service: OperatorService, flags: DlqFlags, io: CliIo): Promise<void> => {
  const result = await service.groups({ filter: filterOf(flags) });
  const lines = [
    `${result.groups.length} group(s), ${result.total} record(s)`,
    ...result.groups.map(
      (group) =>
        `${String(group.count).padStart(7)}  ${group.fingerprint}  ${group.reason}  ${group.errorClass}: ${group.template}` +
        `\n         first ${new Date(group.firstSeen).toISOString()}  last ${new Date(group.lastSeen).toISOString()}` +
        `  redriven ${group.redriven}  trend ${group.trend.counts.join(' ')}`,
    ),
  ];
  io.out(lines.join('\n'), result);
};

const selectionOf = (flags: DlqFlags) => {
  const chosen = [
    flags.offset !== undefined,
    flags.all === true,
    flags.group !== undefined,
    flags.envelope !== undefined,
  ];
  if (chosen.filter(Boolean).length !== 1) {
    throw new UsageError(
      'dlq redrive needs exactly one of --offset P:O..., --all, --group FINGERPRINT, --envelope P:O',
    );
  }
  if (flags.offset)
    return { kind: 'records' as const, records: flags.offset.map((text) => coordinate(text, 'offset')) };
  if (flags.group) return { kind: 'group' as const, fingerprint: flags.group, filter: filterOf(flags) };
  if (flags.envelope) {
    return {
      kind: 'envelope' as const,
      coordinate: coordinate(flags.envelope, 'envelope'),
      ...(flags.index ? { indexes: flags.index.map(Number) } : {}),
    };
  }
  return { kind: 'filter' as const, filter: filterOf(flags) };
};

const summary = (result: RedriveResult): string => {
  const lines = [
    `${result.dryRun ? 'dry run: would redrive' : result.cancelled ? 'cancelled after redriving' : 'redrove'} ` +
      `${result.dryRun ? result.planned.length : result.sent} record(s) (run ${result.runId}, generation ${result.generation})`,
    ...(result.dryRun
      ? result.planned.map((entry) => `  ${entry.from} -> ${entry.to}  key=${entry.key ?? '(null)'}`)
      : []),
    ...(result.recovered > 0
      ? [`recovered ${result.recovered} sent by an interrupted run (not sent again)`]
      : []),
    ...(result.alreadyRedriven > 0
      ? [`left out ${result.alreadyRedriven} already redriven (the ledger says so; --force sends them again)`]
      : []),
    ...(result.skipped.length > 0
      ? [
          `skipped ${result.skipped.length}:`,
          ...result.skipped.map((entry) => `  ${entry.from}: ${entry.reason}`),
        ]
      : []),
  ];
  return lines.join('\n');
};

/** The result as before (`published`, `planned`, `skipped`), plus the ledger's view of the run. */
const resultJson = (result: RedriveResult) => ({ ...result, published: result.dryRun ? 0 : result.sent });

export const redrive = async (
  service: OperatorService,
  flags: DlqFlags,
  io: CliIo,
): Promise<RedriveResult> => {
  const target = flags.to ?? 'origin';
  const rate = positive(flags.rate, 'rate');
  const progress = createProgressRenderer(io.stderr);
  const result = await service.redrive(
    {
      selection: selectionOf(flags),
      target,
      dryRun: flags['dry-run'] ?? false,
      force: flags.force ?? false,
      ...(rate === undefined ? {} : { ratePerSecond: rate }),
      ...(flags.topic ? { topic: flags.topic } : {}),
    },
    {
      operator: { name: operatorName(flags) },
      onProgress: (update) => progress.update(update),
      signal: io.signal,
    },
  );
  progress.end();
  io.out(summary(result), resultJson(result));
  return result;
};

export const edit = async (service: OperatorService, at: string | undefined, flags: DlqFlags, io: CliIo) => {
  if (at === undefined || flags.value === undefined)
    throw new UsageError('dlq edit needs partition:offset and --value JSON');
  let value: unknown;
  try {
    value = JSON.parse(flags.value);
  } catch {
    throw new UsageError('--value is not valid JSON');
  }
  const result = await service.editAndRedrive(
    { record: coordinate(at, 'offset'), value, target: flags.to ?? 'origin', force: flags.force ?? false },
    { operator: { name: operatorName(flags) }, signal: io.signal },
  );
  io.out(summary(result), resultJson(result));
  return result;
};

export const history = async (service: OperatorService, flags: DlqFlags, io: CliIo): Promise<void> => {
  const { runs } = await service.history(positive(flags.limit, 'limit') ?? 20);
  const lines = runs.map(
    (run) =>
      `${new Date(run.startedAt).toISOString()}  ${run.operator.padEnd(12)} ${run.status.padEnd(9)} ` +
      `${run.dryRun ? 'dry-run ' : ''}${run.force ? 'force ' : ''}${run.edited ? 'edited ' : ''}` +
      `gen ${run.generation}  ${run.count} record(s) -> ${run.target}  ${JSON.stringify(run.selection)}  (${run.runId})`,
  );
  io.out(lines.length > 0 ? lines.join('\n') : 'no redrives yet', { runs });
};
