import type { IntentHolder, LedgerIntentEntry } from '../contract/ledger.js';

/**
 * How long an intent's writer may still be sending its chunk: a lease, with a lease's assumptions. No
 * request of a chunk's send, retries included, starts later than `sendStartMs` after its intent
 * (chunk-steps.ts and the publish port, down into kafkajs, check it), and each one ends within the
 * client's request timeout (10 s, `RedriveSendBudget`), so a send is over well before `sendWindowMs`;
 * the broker is taken to append a request before the client's timeout, not after. `clockSkewMs` bounds
 * how far two hosts' clocks may differ, as a writer's `at` is read with this host's.
 */
export interface IntentTiming {
  readonly sendStartMs: number;
  readonly sendWindowMs: number;
  readonly clockSkewMs: number;
}

export const DefaultIntentTiming: IntentTiming = {
  sendStartMs: 10_000,
  sendWindowMs: 60_000,
  clockSkewMs: 30_000,
};

export interface LivenessContext {
  readonly now: number;
  /** This process, as it names itself in the intents it writes. */
  readonly self: IntentHolder;
  /** Runs going on in this process right now. */
  readonly liveRuns: ReadonlySet<string>;
  /** Whether a process of this process-id space is running. */
  isRunning(pid: number): boolean;
  readonly timing: IntentTiming;
}

/**
 * How long recovery waits before it settles `intent` from the target topics' tails. Settling reads the
 * tails once, so a record the intent's writer is still sending would be missed and sent a second time.
 * Another process can only be sending when it took the ledger's writer before this run claimed it, so
 * what is in doubt is a writer that may be alive: in this pid space, a process that is still running (or
 * a live run of this one); elsewhere, one whose intent is too recent to rule it out. Returns 0 when the
 * writer is known dead or out of time. The wait counts from now: the intent was written before this run
 * read it, so its writer's window ends within `sendWindowMs` of now.
 */
export const waitBeforeSettling = (intent: LedgerIntentEntry, context: LivenessContext): number => {
  const { holder } = intent;
  const { self, timing } = context;
  if (holder !== undefined && holder.space === self.space) {
    const alive =
      holder.instance === self.instance ? context.liveRuns.has(intent.runId) : context.isRunning(holder.pid);
    if (!alive) return 0;
  }
  // Another host or container (or an intent from before writers were named): only its age can rule it
  // out, with both clocks' possible skew added.
  const mayStillSend = intent.at + timing.sendWindowMs + timing.clockSkewMs - context.now;
  return Math.max(0, Math.min(timing.sendWindowMs, mayStillSend));
};
