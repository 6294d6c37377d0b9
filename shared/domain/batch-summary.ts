/** What one batch did; returned by the handler, logged, and turned into metrics. */
export interface BatchSummary {
  readonly records: number;
  readonly processed: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly deferred: number;
  readonly deadLetteredByReason: Readonly<Record<string, number>>;
  readonly published: number;
}
