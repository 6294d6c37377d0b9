import { describe, expect, it } from 'vitest';
import type { ToolCheck } from '../../../../../infra/local/preflight/probe-tools.js';
import { buildPreflightReport } from '../../../../../infra/local/preflight/report.js';
import { Purpose, requirementsFor, ToolId } from '../../../../../infra/local/preflight/requirements.js';

const allFound: ToolCheck[] = [
  { id: ToolId.node, found: true, version: '20.19.5' },
  { id: ToolId.java, found: true, version: '17' },
  { id: ToolId.maven, found: true, version: '3.8.7' },
  { id: ToolId.browser, found: true, version: '140.0.1', where: '/usr/bin/chromium (PATH)' },
  { id: ToolId.terraform, found: true, version: '1.11.4' },
  { id: ToolId.cfnLint, found: true, version: '1.51.0' },
  { id: ToolId.shellcheck, found: true, version: '0.9.0' },
];

const replace = (checks: ToolCheck[], ...changed: ToolCheck[]): ToolCheck[] =>
  checks.map((check) => changed.find((other) => other.id === check.id) ?? check);

describe('buildPreflightReport', () => {
  it('passes when every tool of the command is there', () => {
    // Act
    const report = buildPreflightReport(Purpose.test, requirementsFor(Purpose.test), allFound);

    // Assess
    expect(report.ok).toBe(true);
    expect(report.lines.filter((line) => line.includes('MISSING'))).toEqual([]);
  });

  it('lists every missing tool at once, each with its Debian/Ubuntu and macOS install command', () => {
    // Prepare
    const checks = replace(
      allFound,
      { id: ToolId.browser, found: false, problem: 'none of chromium on PATH' },
      { id: ToolId.cfnLint, found: false, problem: 'cfn-lint is not on PATH' },
    );

    // Act
    const report = buildPreflightReport(Purpose.test, requirementsFor(Purpose.test), checks);

    // Assess
    expect(report.ok).toBe(false);
    expect(report.verdicts.filter((verdict) => !verdict.ok).map((verdict) => verdict.requirement.id)).toEqual(
      [ToolId.browser, ToolId.cfnLint],
    );
    const text = report.lines.join('\n');
    expect(text).toContain('2 missing');
    expect(text).toContain('Debian/Ubuntu:  sudo apt-get install -y chromium');
    expect(text).toContain('macOS:          brew install --cask google-chrome');
    expect(text).toContain('macOS:          brew install cfn-lint');
  });

  it('rejects a tool older than its minimum, saying which version it needs', () => {
    // Prepare
    const checks = replace(allFound, { id: ToolId.java, found: true, version: '11', where: '/usr/bin/java' });

    // Act
    const report = buildPreflightReport(Purpose.start, requirementsFor(Purpose.start), checks);

    // Assess
    expect(report.ok).toBe(false);
    expect(report.lines).toContain(
      '  MISSING  Java 17+        11 at /usr/bin/java is too old; 17+ is needed',
    );
  });

  it('does not ask npm start for the browser, Terraform, cfn-lint or ShellCheck', () => {
    // Prepare
    const checks = allFound.filter((check) =>
      [ToolId.node, ToolId.java, ToolId.maven].includes(check.id as never),
    );

    // Act
    const report = buildPreflightReport(Purpose.start, requirementsFor(Purpose.start), checks);

    // Assess
    expect(report.ok).toBe(true);
    expect(report.verdicts.map((verdict) => verdict.requirement.id)).toEqual([
      ToolId.node,
      ToolId.java,
      ToolId.maven,
    ]);
  });

  it('fails a tool whose version cannot be read when a minimum applies', () => {
    // Prepare
    const checks = replace(allFound, { id: ToolId.terraform, found: true });

    // Act
    const report = buildPreflightReport(Purpose.test, requirementsFor(Purpose.test), checks);

    // Assess
    expect(report.ok).toBe(false);
    expect(report.lines.join('\n')).toContain('found, but its version could not be read');
  });
});
