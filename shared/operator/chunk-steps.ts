import { randomUUID } from 'node:crypto';
import type { LedgerRecordEntry, LedgerRunEntry } from '../contract/ledger.js';
import type { ChunkSteps } from './chunk-pipeline.js';
import { type LedgerState, ledgerKeys } from './ledger-state.js';
import type { Offsets, OperatorPorts } from './ports.js';
import type { RateLimiter } from './rate-limiter.js';
import { carriesRunHeaders, type RedriveUnit, type RunHeaders, type RunIdentity } from './redrive-units.js';
import { TargetEnds } from './target-ends.js';

export interface AnnouncedChunk {
  readonly intentKey: string;
  readonly at: number;
}

export interface ChunkRun extends RunIdentity {
  /** The run's audit headers (`runHeadersOf`), which every unit sent must carry (`unitsOf` sets them). */
  readonly runHeaders: RunHeaders;
  readonly edited: boolean;
  /** A chunk's send starts within this of its intent, or not at all (intent-liveness.ts). */
  readonly sendStartMs: number;
  /** The run entry to write with a chunk's records: the count as it will be once they are recorded. */
  runEntryWith(recorded: number): LedgerRunEntry;
  /** Called once a chunk's ledger transaction committed. */
  onRecorded(recorded: number, run: LedgerRunEntry): void;
}

/**
 * The I/O of one redrive chunk over the operator ports: the ledger's intent, the acknowledged send
 * and the ledger transaction that records it (README "Redrive ledger"). `ChunkPipeline` decides when
 * each runs.
 */
export const redriveChunkSteps = (
  ports: OperatorPorts,
  ledger: LedgerState,
  run: ChunkRun,
  limiter: RateLimiter,
  signal: AbortSignal | undefined,
): ChunkSteps<readonly RedriveUnit[], AnnouncedChunk> => {
  const { runId, generation, operator, edited, runHeaders } = run;
  const ends = new TargetEnds((topic) => ports.endOffsets(topic));

  return {
    announce: async (chunk) => {
      // A cancel stops the run before the next chunk is announced; the chunks already out are recorded.
      signal?.throwIfAborted();
      await limiter.take(chunk.length, signal);
      const targets = [...new Set(chunk.map((unit) => unit.message.topic))];
      // Read before this chunk's send starts (the pipeline sends one chunk at a time), so every record
      // of the chunk lands at or after them: recovery scans from here and cannot miss one.
      const targetEnds: Record<string, Offsets> = Object.fromEntries(
        await Promise.all(targets.map(async (topic) => [topic, await ends.before(topic)] as const)),
      );
      const intentKey = ledgerKeys.intent(runId, randomUUID().slice(0, 8));
      const at = ports.now();
      await ports.writeLedger(runId, [
        {
          key: intentKey,
          entry: {
            type: 'intent',
            runId,
            generation,
            at,
            records: chunk.map((unit) => unit.from),
            targetEnds,
            operator,
            targetTopics: targets,
            edited,
            holder: ports.holder,
          },
        },
      ]);
      return { intentKey, at };
    },

    send: async (chunk, { at }) => {
      // Recovery in another process waits out an intent's send window before it reads the targets; a
      // send that starts late could outlast that window and be sent again there. Nothing was sent: the
      // intent stays for the next run to settle.
      const late = ports.now() - at;
      if (late > run.sendStartMs) {
        throw new Error(
          `chunk not sent: its send would start ${Math.round(late / 1000)} s after its intent (limit ${run.sendStartMs / 1000} s); run the redrive again to send it`,
        );
      }
      // A record without the run's headers could not be found by the resume scan: it would be sent again.
      const messages = chunk.map((unit) => unit.message);
      if (!messages.every((message) => carriesRunHeaders(message, runHeaders))) {
        throw new Error('chunk not sent: a record lacks its run headers (a defect in building the units)');
      }
      // A chunk too large for one request goes as several; each starts within the same limit.
      await ports.publish(messages, at + run.sendStartMs);
    },

    record: async (chunk, { intentKey, at }) => {
      const entries = chunk.map((unit) => {
        const entry: LedgerRecordEntry = {
          type: 'record',
          from: unit.from,
          generation,
          runId,
          operator,
          at,
          targetTopic: unit.message.topic,
          edited,
        };
        return { key: ledgerKeys.record(unit.from), entry };
      });
      // The run's count travels in the same transaction, so the history never disagrees with the records.
      const runEntry = run.runEntryWith(chunk.length);
      await ports.writeLedger(runId, [
        ...entries,
        { key: ledgerKeys.run(runId), entry: runEntry },
        { key: intentKey, entry: null },
      ]);
      for (const { key, entry } of entries) ledger.apply(key, entry);
      run.onRecorded(chunk.length, runEntry);
    },
  };
};
