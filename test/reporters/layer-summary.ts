import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

interface LayerTally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

const emptyTally = (): LayerTally => ({ files: 0, passed: 0, failed: 0, skipped: 0, durationMs: 0 });

/**
 * One line a test layer (unit, integration, infra, e2e) at the end of a run, and a failed run when any test
 * was skipped without a name filter asking for it: a suite that skips silently does not tell the truth.
 */
export class LayerSummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const layers = new Map<string, LayerTally>();
    const skipped: TestCase[] = [];
    for (const module of testModules) {
      const tally = layers.get(module.project.name) ?? emptyTally();
      layers.set(module.project.name, tally);
      tally.files += 1;
      tally.durationMs += module.diagnostic().duration;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') tally.passed += 1;
        else if (state === 'failed') tally.failed += 1;
        else if (state === 'skipped') {
          tally.skipped += 1;
          skipped.push(test);
        }
      }
    }
    const out = process.stdout;
    out.write('\n Layers\n');
    for (const [name, tally] of layers) {
      const parts = [`${tally.passed} passed`];
      if (tally.failed > 0) parts.push(`${tally.failed} failed`);
      if (tally.skipped > 0) parts.push(`${tally.skipped} skipped`);
      out.write(
        `   ${name.padEnd(12)} ${parts.join(', ').padEnd(30)} ${String(tally.files).padStart(3)} files  ${(tally.durationMs / 1000).toFixed(1)}s\n`,
      );
    }
    // A name filter (-t) skips the other tests on purpose; only an unfiltered run must skip nothing.
    if (skipped.length > 0 && !this.vitest?.config.testNamePattern) {
      out.write(`\n ${skipped.length} test(s) skipped; every test must run:\n`);
      for (const test of skipped) out.write(`   ${test.module.moduleId}: ${test.fullName}\n`);
      process.exitCode = 1;
    }
  }
}
