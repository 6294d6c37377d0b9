import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../shared/contract/operator.js';
import type { RedriveJobView } from '../../../shared/contract/redrive-job.js';
import {
  describeRun,
  describeSelection,
  groupCounts,
  jobStatus,
  parseEditedValue,
} from '../../../ui/src/console-view.js';

const job = (overrides: Partial<RedriveJobView>): RedriveJobView => ({
  id: 'job-1',
  state: 'running',
  operator: 'alice',
  request: { selection: { kind: 'group', fingerprint: 'fp' }, target: 'origin' },
  startedAt: 0,
  updatedAt: 0,
  ...overrides,
});

describe('console view model', () => {
  it('says how much of a group is left once the ledger has redriven some of it', () => {
    // Act & Assess
    expect(groupCounts({ count: 300, redriven: 0 })).toBe('300');
    expect(groupCounts({ count: 300, redriven: 120 })).toBe('300 (120 redriven, 180 left)');
  });

  it('turns a running job into a fraction and a line with the count and the ETA', () => {
    // Act
    const status = jobStatus(
      job({
        progress: {
          runId: 'r',
          phase: 'sending',
          scanned: 500,
          matched: 300,
          sent: 100,
          alreadyRedriven: 0,
          skipped: 0,
          remaining: 200,
          etaSeconds: 2,
          ratePerSecond: 100,
        },
      }),
    );

    // Assess
    expect(status.fraction).toBeCloseTo(1 / 3);
    expect(status.text).toBe('sending: sent 100 of ~300, 0 already redriven, scanned 500, ETA 2 s');
  });

  it('reports a finished, a cancelled and a failed job', () => {
    // Prepare
    const result = {
      runId: 'r',
      generation: 2,
      dryRun: false,
      cancelled: false,
      target: 'origin' as const,
      scanned: 500,
      matched: 300,
      sent: 280,
      recovered: 0,
      alreadyRedriven: 20,
      skipped: [],
      planned: [],
    };

    // Act
    const done = jobStatus(job({ state: 'done', result }));
    const cancelled = jobStatus(
      job({ state: 'cancelled', result: { ...result, cancelled: true, sent: 130 } }),
    );
    const failed = jobStatus(job({ state: 'failed', error: 'broker gone' }));

    // Assess
    expect(done).toEqual({
      fraction: 1,
      text: 'done: redrove 280 of 300 matching; 20 already redriven (ledger); generation 2',
    });
    expect(cancelled.text).toMatch(/^cancelled after 130 of 300 matching/);
    expect(cancelled.fraction).toBeCloseTo(0.5);
    expect(failed).toEqual({ fraction: 0, text: 'failed: broker gone' });
  });

  it('describes selections and runs for the history', () => {
    // Prepare
    const run: HistoryEntry = {
      runId: 'r',
      operator: 'bob',
      startedAt: 0,
      status: 'completed',
      dryRun: false,
      force: true,
      generation: 3,
      target: 'origin',
      selection: { kind: 'filter', filter: { reason: 'permanent-failure', text: 'card' } },
      count: 5,
      edited: true,
    };

    // Act & Assess
    expect(describeSelection(run.selection)).toBe('reason=permanent-failure text=card');
    expect(describeSelection({ kind: 'filter', filter: {} })).toBe('all of the DLQ');
    expect(describeSelection({ kind: 'records', records: [{ partition: 1, offset: 7 }] })).toBe('record 1:7');
    expect(describeRun(run)).toBe('completed, FORCED gen 3, edited');
  });

  it('refuses an edited value that is not JSON before anything is sent', () => {
    // Act & Assess
    expect(parseEditedValue('{"orderId":"o-1","amount":2}')).toEqual({
      value: { orderId: 'o-1', amount: 2 },
    });
    expect(parseEditedValue('{"orderId":')).toMatchObject({
      error: expect.stringMatching(/^not valid JSON/),
    });
  });
});
