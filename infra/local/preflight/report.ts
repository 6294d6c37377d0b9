import type { ToolCheck } from './probe-tools.js';
import { type Purpose, Purpose as Purposes, type ToolRequirement } from './requirements.js';
import { isAtLeast } from './versions.js';

export interface ToolVerdict {
  readonly requirement: ToolRequirement;
  readonly ok: boolean;
  readonly detail: string;
}

export interface PreflightReport {
  readonly ok: boolean;
  readonly verdicts: readonly ToolVerdict[];
  /** The report as printed: one line a tool, then every missing tool with its install commands. */
  readonly lines: readonly string[];
}

const COMMAND: Record<Purpose | 'all', string> = {
  [Purposes.start]: 'npm start',
  [Purposes.test]: 'npm test',
  all: 'npm start and npm test',
};

const verdictOf = (requirement: ToolRequirement, check: ToolCheck | undefined): ToolVerdict => {
  if (check === undefined) return { requirement, ok: false, detail: 'not checked' };
  if (!check.found) return { requirement, ok: false, detail: check.problem };
  const where = check.where ? ` at ${check.where}` : '';
  const { minVersion } = requirement;
  if (minVersion === undefined) {
    const detail = check.version ? `${check.version}${where}` : `found${where}`;
    return { requirement, ok: true, detail };
  }
  if (check.version === undefined) {
    return { requirement, ok: false, detail: `found${where}, but its version could not be read` };
  }
  return isAtLeast(check.version, minVersion)
    ? { requirement, ok: true, detail: `${check.version}${where}` }
    : { requirement, ok: false, detail: `${check.version}${where} is too old; ${minVersion}+ is needed` };
};

const titleOf = (requirement: ToolRequirement): string =>
  requirement.minVersion ? `${requirement.title} ${requirement.minVersion}+` : requirement.title;

/**
 * Turns probe results into the printed report. Pure: the same checks always give the same lines, so the
 * wording is tested without any tool installed or missing.
 */
export const buildPreflightReport = (
  purpose: Purpose | 'all',
  requirements: readonly ToolRequirement[],
  checks: readonly ToolCheck[],
  notes: readonly string[] = [],
): PreflightReport => {
  const verdicts = requirements.map((requirement) =>
    verdictOf(
      requirement,
      checks.find((check) => check.id === requirement.id),
    ),
  );
  const width = Math.max(...requirements.map((requirement) => titleOf(requirement).length));
  const lines = [`${COMMAND[purpose]} ${purpose === 'all' ? 'need' : 'needs'}:`];
  for (const verdict of verdicts) {
    lines.push(
      `  ${verdict.ok ? 'ok     ' : 'MISSING'}  ${titleOf(verdict.requirement).padEnd(width)}  ${verdict.detail}`,
    );
  }
  lines.push(...notes.map((note) => `  note: ${note}`));
  const missing = verdicts.filter((verdict) => !verdict.ok);
  if (missing.length > 0) {
    lines.push('', `${missing.length} missing. Install, then run the command again:`);
    for (const { requirement } of missing) {
      lines.push(
        `  ${titleOf(requirement)}, for ${requirement.usedBy}:`,
        `    Debian/Ubuntu:  ${requirement.install.debian}`,
        `    macOS:          ${requirement.install.macos}`,
      );
    }
  }
  return { ok: missing.length === 0, verdicts, lines };
};
