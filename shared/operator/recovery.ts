import { FailureHeader, RedriveHeader } from '../contract/headers.js';
import type { LedgerRecordEntry } from '../contract/ledger.js';
import { type IntentTiming, waitBeforeSettling } from './intent-liveness.js';
import { type LedgerState, ledgerKeys, settleIntent } from './ledger-state.js';
import type { Offsets, OperatorPorts } from './ports.js';

const mark = (runId: string, generation: number, from: string): string => `${runId}|${generation}|${from}`;

export interface RecoveryLiveness {
  readonly timing: IntentTiming;
  /** Runs going on in this process. */
  readonly liveRuns: ReadonlySet<string>;
  /** Told before recovery waits out a writer that may still be sending. */
  readonly onWait?: (ms: number) => void;
}

/**
 * Settles every chunk a killed or fenced run left in flight (an intent without its records), once its
 * writer can no longer be sending (intent-liveness.ts). Its target topics are scanned from the end
 * offsets the intent noted before the send, so the scan is bounded by what was written since. A copy
 * carrying the chunk's run, generation and DLQ coordinates was sent: it is recorded now and never sent
 * again. The rest were not sent: the intent is cleared and the run that follows sends them. Returns how
 * many were found sent.
 */
export const recoverIntents = async (
  ports: OperatorPorts,
  ledger: LedgerState,
  liveness: RecoveryLiveness,
  signal?: AbortSignal,
): Promise<number> => {
  const dangling = ledger.intents();
  if (dangling.length === 0) return 0;
  // This run holds the ledger's writer, so no intent is added or recorded now; but a writer that was
  // fenced mid-chunk may still have its send in flight, and the tails are read once. Wait it out first.
  const context = {
    now: ports.now(),
    self: ports.holder,
    liveRuns: liveness.liveRuns,
    isRunning: (pid: number) => ports.isRunning(pid),
    timing: liveness.timing,
  };
  const wait = Math.max(0, ...dangling.map(({ intent }) => waitBeforeSettling(intent, context)));
  if (wait > 0) {
    liveness.onWait?.(wait);
    await ports.sleep(wait, signal);
  }
  const wanted = new Set<string>();
  const from = new Map<string, Offsets>();
  for (const { intent } of dangling) {
    for (const record of intent.records) wanted.add(mark(intent.runId, intent.generation, record));
    for (const [topic, ends] of Object.entries(intent.targetEnds)) {
      const start = from.get(topic) ?? {};
      for (const [partition, offset] of Object.entries(ends)) {
        start[partition] = Math.min(start[partition] ?? offset, offset);
      }
      from.set(topic, start);
    }
  }
  const found = new Map<string, string>();
  for (const [topic, start] of from) {
    // Uncommitted too: whatever was written counts as sent, whoever reads it.
    await ports.scan(
      { topic, from: start, readUncommitted: true, ...(signal ? { signal } : {}) },
      (record) => {
        const runId = record.headers[RedriveHeader.runId]?.toString('utf8');
        const generation = record.headers[RedriveHeader.generation]?.toString('utf8');
        const origin = record.headers[FailureHeader.redrivenFrom]?.toString('utf8');
        if (runId === undefined || generation === undefined || origin === undefined) return;
        const key = mark(runId, Number(generation), origin);
        if (wanted.has(key)) found.set(key, record.topic);
      },
    );
  }
  let recovered = 0;
  for (const { key, intent } of dangling) {
    const present = new Set(
      intent.records.filter((record) => found.has(mark(intent.runId, intent.generation, record))),
    );
    const { sent } = settleIntent(intent, present);
    const entries = sent.map((record) => {
      const entry: LedgerRecordEntry = {
        type: 'record',
        from: record,
        generation: intent.generation,
        runId: intent.runId,
        operator: intent.operator,
        at: intent.at,
        targetTopic: found.get(mark(intent.runId, intent.generation, record)) ?? '',
        edited: intent.edited,
      };
      return { key: ledgerKeys.record(record), entry };
    });
    await ports.writeLedger(intent.runId, [...entries, { key, entry: null }]);
    for (const entry of entries) ledger.apply(entry.key, entry.entry);
    ledger.apply(key, null);
    recovered += sent.length;
  }
  return recovered;
};
