import type { FailureGroup, HistoryEntry, RedriveSelection } from '../../shared/contract/operator.js';
import type { RedriveJobView } from '../../shared/contract/redrive-job.js';
import type { MessageView } from '../../shared/contract/views.js';

/** Pure text for the console's views: unit-tested, no DOM. */

/** `12:03` or `Dec 1, 12:03` for older days. */
export const when = (epochMs: number, now = Date.now()): string => {
  const date = new Date(epochMs);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return now - epochMs < 86_400_000
    ? time
    : `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${time}`;
};

/** What is left of a group to redrive: the DLQ keeps its records, the ledger says which were redriven. */
export const groupCounts = (group: Pick<FailureGroup, 'count' | 'redriven'>): string =>
  group.redriven === 0
    ? `${group.count}`
    : `${group.count} (${group.redriven} redriven, ${Math.max(0, group.count - group.redriven)} left)`;

/** The x values (epoch ms, bucket starts) of a trend or rate series. */
export const bucketTimes = (from: number, bucketMs: number, count: number): number[] =>
  Array.from({ length: count }, (_, index) => from + index * bucketMs);

/** A progress bar's fraction and one status line for a redrive job. */
export const jobStatus = (job: RedriveJobView): { fraction: number; text: string } => {
  const progress = job.progress;
  const result = job.result;
  if (job.state === 'failed') return { fraction: 0, text: `failed: ${job.error ?? 'unknown error'}` };
  if (result !== undefined) {
    const verb = result.dryRun
      ? 'dry run: would redrive'
      : job.state === 'cancelled'
        ? 'cancelled after'
        : 'done: redrove';
    const count = result.dryRun ? result.planned.length : result.sent + result.recovered;
    const parts = [`${verb} ${count} of ${result.matched} matching`];
    if (result.alreadyRedriven > 0) parts.push(`${result.alreadyRedriven} already redriven (ledger)`);
    if (result.skipped.length > 0)
      parts.push(`${result.skipped.length} skipped: ${result.skipped[0]?.reason}`);
    parts.push(`generation ${result.generation}`);
    const fraction =
      job.state === 'cancelled' && result.matched > 0
        ? (result.sent + result.alreadyRedriven) / result.matched
        : 1;
    return { fraction, text: parts.join('; ') };
  }
  if (job.state === 'cancelled') return { fraction: 0, text: 'cancelled; the history shows what was sent' };
  if (progress === undefined) return { fraction: 0, text: 'starting…' };
  const total = progress.sent + (progress.remaining ?? 0);
  const fraction = total > 0 ? progress.sent / total : 0;
  const eta = progress.etaSeconds === undefined ? '' : `, ETA ${progress.etaSeconds} s`;
  return {
    fraction,
    text: `${progress.phase}: sent ${progress.sent} of ~${total}, ${progress.alreadyRedriven} already redriven, scanned ${progress.scanned}${eta}`,
  };
};

/** A redrive's selection in words, for the history. */
export const describeSelection = (selection: RedriveSelection): string => {
  switch (selection.kind) {
    case 'records':
      return selection.records.length === 1
        ? `record ${selection.records[0]?.partition}:${selection.records[0]?.offset}`
        : `${selection.records.length} records`;
    case 'group':
      return `group ${selection.fingerprint}`;
    case 'envelope':
      return `envelope ${selection.coordinate.partition}:${selection.coordinate.offset}`;
    case 'filter': {
      const parts = Object.entries(selection.filter).map(([name, value]) => `${name}=${String(value)}`);
      return parts.length === 0 ? 'all of the DLQ' : parts.join(' ');
    }
  }
};

/** The mode column of the history: dry run, forced, edited, and how the run ended. */
export const describeRun = (run: HistoryEntry): string =>
  [
    run.status,
    ...(run.dryRun ? ['dry run'] : []),
    ...(run.force ? [`FORCED gen ${run.generation}`] : []),
    ...(run.edited ? ['edited'] : []),
  ].join(', ');

/** The value the edit dialog starts from: pretty JSON when the record is JSON, else the text. */
export const editableValue = (message: Pick<MessageView, 'value'>): string =>
  message.value.encoding === 'null' ? '' : message.value.text;

/** Parses the edited value; the server validates it against the order schema. */
export const parseEditedValue = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
};
