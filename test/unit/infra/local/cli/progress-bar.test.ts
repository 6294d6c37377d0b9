import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../../../../infra/local/cli/progress-bar.js';
import type { RedriveProgress } from '../../../../../shared/contract/operator.js';

const progress = (overrides: Partial<RedriveProgress> = {}): RedriveProgress => ({
  runId: 'run-1',
  phase: 'scanning',
  scanned: 1_000,
  matched: 1_000,
  sent: 750,
  alreadyRedriven: 0,
  skipped: 0,
  remaining: 2_250,
  etaSeconds: 75,
  ratePerSecond: 30,
  ...overrides,
});

describe('formatProgress', () => {
  it('shows the bar, the count, the share and the ETA', () => {
    // Act
    const line = formatProgress(progress(), 8);

    // Assess
    expect(line).toBe('scanning  [##......]  750/3000 sent  25%  scanned 1000  30/s max  ETA 1m15s');
  });

  it('mentions records left out and skipped, and an unknown total', () => {
    // Act
    const line = formatProgress(
      progress({ sent: 0, remaining: undefined, alreadyRedriven: 5, skipped: 2, etaSeconds: undefined }),
      4,
    );

    // Assess
    expect(line).toBe(
      'scanning  [....]  0/? sent  0%  scanned 1000  5 already redriven  2 skipped  30/s max  ETA ?',
    );
  });

  it('ends a dry run with what it would send, not a count of nothing sent', () => {
    // Act
    const during = formatProgress(
      progress({ sent: 0, remaining: 0, etaSeconds: 0, dryRun: true, wouldSend: 120, alreadyRedriven: 3 }),
    );
    const last = formatProgress(
      progress({ phase: 'done', sent: 0, remaining: 0, etaSeconds: 0, dryRun: true, wouldSend: 1_000 }),
    );

    // Assess
    expect(during).toBe(
      'scanning  would send 120 so far  scanned 1000  3 already redriven  dry run, nothing sent',
    );
    expect(last).toBe('done      would send 1000  scanned 1000  dry run, nothing sent');
    expect(last).not.toMatch(/0\/\? sent/);
  });
});
