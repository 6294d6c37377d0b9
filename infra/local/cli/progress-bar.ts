import type { RedriveProgress } from '../../../shared/contract/operator.js';

const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
};

/**
 * One line of redrive progress: a bar when the total is known, the count, the rate and the ETA.
 * Pure, so the CLI's rendering is unit-tested; the CLI writes it to stderr (stdout stays for results).
 */
export const formatProgress = (progress: RedriveProgress, width = 24): string => {
  if (progress.dryRun) return formatDryRun(progress);
  const total = progress.sent + (progress.remaining ?? 0);
  const share = total > 0 ? Math.min(1, progress.sent / total) : progress.phase === 'done' ? 1 : 0;
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const parts = [
    bar,
    `${progress.sent}/${total > 0 ? total : '?'} sent`,
    `${Math.round(share * 100)}%`,
    `scanned ${progress.scanned}`,
    ...(progress.alreadyRedriven > 0 ? [`${progress.alreadyRedriven} already redriven`] : []),
    ...(progress.skipped > 0 ? [`${progress.skipped} skipped`] : []),
    `${progress.ratePerSecond}/s max`,
    `ETA ${progress.etaSeconds === undefined ? '?' : formatDuration(progress.etaSeconds)}`,
  ];
  return `${progress.phase.padEnd(9)} ${parts.join('  ')}`;
};

/** A dry run sends nothing, so no bar and no ETA: what it would send, and what it read and left out. */
const formatDryRun = (progress: RedriveProgress): string => {
  const parts = [
    `would send ${progress.wouldSend ?? 0}${progress.phase === 'scanning' ? ' so far' : ''}`,
    `scanned ${progress.scanned}`,
    ...(progress.alreadyRedriven > 0 ? [`${progress.alreadyRedriven} already redriven`] : []),
    ...(progress.skipped > 0 ? [`${progress.skipped} skipped`] : []),
    'dry run, nothing sent',
  ];
  return `${progress.phase.padEnd(9)} ${parts.join('  ')}`;
};

/** Renders progress in place on a terminal, or as one line a second into a log or pipe. */
export const createProgressRenderer = (stream: NodeJS.WriteStream, now: () => number = Date.now) => {
  let lastLineAt = 0;
  return {
    update(progress: RedriveProgress): void {
      const line = formatProgress(progress);
      if (stream.isTTY) {
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\u001b[K`);
        return;
      }
      if (now() - lastLineAt < 1_000 && progress.phase !== 'done' && progress.phase !== 'cancelled') return;
      lastLineAt = now();
      stream.write(`${line}\n`);
    },
    end(): void {
      if (stream.isTTY) stream.write('\n');
    },
  };
};
