/**
 * Header names of the failure contract (README "Failure headers"). Every retry and DLQ record carries
 * them. They are rewritten, never appended, so their size stays bounded however often a record fails.
 */
export const FailureHeader = {
  eventId: 'x-event-id',
  originTopic: 'x-origin-topic',
  originPartition: 'x-origin-partition',
  originOffset: 'x-origin-offset',
  originTimestamp: 'x-origin-timestamp',
  attempt: 'x-attempt',
  dueAt: 'x-due-at',
  firstFailureAt: 'x-first-failure-at',
  lastFailureAt: 'x-last-failure-at',
  errorKind: 'x-error-kind',
  errorClass: 'x-error-class',
  errorMessage: 'x-error-message',
  errorStack: 'x-error-stack',
  deadLetterReason: 'x-dead-letter-reason',
  redriveCount: 'x-redrive-count',
  redrivenAt: 'x-redriven-at',
  redrivenFrom: 'x-redriven-from',
} as const;
export type FailureHeaderName = (typeof FailureHeader)[keyof typeof FailureHeader];

/**
 * Audit headers a redrive adds on top of the failure headers. `x-redriven-from` (above) carries the DLQ
 * coordinates; these say which run and generation sent it, who, and whether the value was edited.
 */
export const RedriveHeader = {
  runId: 'x-redrive-id',
  generation: 'x-redrive-generation',
  operator: 'x-redriven-by',
  /** `true` when the operator edited the value; the original's coordinates stay in `x-redriven-from`. */
  edited: 'x-redrive-edited',
  /** SHA-256 (hex) of the original value, so the edit can be proven against the DLQ record. */
  originalValueSha256: 'x-redrive-original-sha256',
} as const;
export type RedriveHeaderName = (typeof RedriveHeader)[keyof typeof RedriveHeader];

/** The header every POST after login carries (a signed double-submit CSRF token). */
export const CsrfHeader = 'x-csrf-token';
