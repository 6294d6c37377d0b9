import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FailureHeader } from '../../../shared/contract/headers.js';
import type { LedgerRunEntry } from '../../../shared/contract/ledger.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import { ChunkPipeline } from '../../../shared/operator/chunk-pipeline.js';
import { createOperatorService } from '../../../shared/operator/service.js';
import { topics } from '../helpers/records.js';
import { dlqOf, fakeOperatorPorts, type LedgerEntries, ledgerWriteKind } from './fake-ports.js';

const alice = { operator: { name: 'alice' } };
const everything = { selection: { kind: 'filter', filter: {} }, target: 'origin' } as const;
const fromOf = (message: OutboundMessage) => message.headers[FailureHeader.redrivenFrom]?.toString('utf8');

class FencedError extends Error {
  readonly type = 'INVALID_PRODUCER_EPOCH';
}

describe('redrive chunk pipeline', () => {
  it('sends no chunk after recording an earlier one failed (a fenced writer), and the run ends failed', async () => {
    // Prepare: recording chunk 1 fails while chunk 2 is being announced, after its intent was asked
    // for: only the check right before the send can keep chunk 2 from going out.
    const published: OutboundMessage[] = [];
    const runs: LedgerRunEntry[] = [];
    const intents: LedgerEntries[] = [];
    let failRecording: ((error: Error) => void) | undefined;
    const ports = fakeOperatorPorts(dlqOf(6), {
      publish: async (messages) => {
        published.push(...messages);
      },
      writeLedger: async (_runId, entries) => {
        for (const { entry } of entries) if (entry?.type === 'run') runs.push(entry);
        const kind = ledgerWriteKind(entries);
        if (kind === 'record') {
          return new Promise<void>((_resolve, reject) => {
            failRecording = reject;
          });
        }
        if (kind === 'intent') {
          intents.push(entries);
          if (intents.length === 2) {
            while (failRecording === undefined) await delay(1);
            failRecording(new FencedError('the ledger writer was fenced by another process'));
            // Let the failure reach the pipeline before this intent is reported committed.
            await delay(5);
          }
        }
      },
    });

    // Act
    const run = createOperatorService(ports, { chunkSize: 2 }).redrive(everything, alice);

    // Assess
    await expect(run).rejects.toBeInstanceOf(FencedError);
    expect(published.map(fromOf)).toEqual([`${topics.dlq}:0:0`, `${topics.dlq}:0:1`]);
    expect(intents).toHaveLength(2);
    expect(runs.at(-1)?.status).toBe('failed');
  });

  it('keeps at most three chunks in memory while the scan runs ahead, and sends exactly the selection once, in order', async () => {
    // Prepare: slow sends and ledger writes, so the scan gets ahead wherever the pipeline lets it
    const chunkSize = 3;
    const records = dlqOf(60);
    const selected = records.filter((record) => record.offset % 3 !== 1);
    const wanted = selected.map((record) => ({ partition: record.partition, offset: record.offset }));
    const published: OutboundMessage[] = [];
    let recorded = 0;
    let selectedScanned = 0;
    let mostHeld = 0;
    let sending = 0;
    let scannedWhileSending = 0;
    const ports = fakeOperatorPorts(
      records,
      {
        publish: async (messages) => {
          await delay(3);
          published.push(...messages);
          sending -= 1;
        },
        writeLedger: async (_runId, entries) => {
          // A chunk is out from its intent until its publish is acknowledged.
          if (ledgerWriteKind(entries) === 'intent') sending += 1;
          await delay(2);
          if (ledgerWriteKind(entries) === 'record')
            recorded += entries.filter(({ entry }) => entry?.type === 'record').length;
        },
      },
      (record) => {
        if (record.offset % 3 === 1) return;
        selectedScanned += 1;
        if (sending > 0) scannedWhileSending += 1;
        // Read by the scan and not yet recorded: the chunk being filled, sent and recorded.
        mostHeld = Math.max(mostHeld, selectedScanned - recorded);
      },
    );

    // Act
    const result = await createOperatorService(ports, { chunkSize }).redrive(
      { selection: { kind: 'records', records: wanted }, target: 'origin' },
      alice,
    );

    // Assess
    expect(result.sent).toBe(selected.length);
    expect(published.map(fromOf)).toEqual(selected.map((record) => `${topics.dlq}:0:${record.offset}`));
    expect(mostHeld).toBeLessThanOrEqual(3 * chunkSize);
    expect(scannedWhileSending).toBeGreaterThan(0);
  });

  it('runs one send and one recording at a time, each chunk recorded after its own send, in order', async () => {
    // Prepare
    const log: string[] = [];
    let sends = 0;
    let records = 0;
    let maxSends = 0;
    let maxRecords = 0;
    let maxTaken = 0;
    let taken = 0;
    const pipeline = new ChunkPipeline<number, number>({
      announce: async (chunk) => {
        await delay(1);
        return chunk;
      },
      send: async (chunk) => {
        sends += 1;
        maxSends = Math.max(maxSends, sends);
        await delay(chunk % 2 === 0 ? 4 : 1);
        log.push(`sent ${chunk}`);
        sends -= 1;
      },
      record: async (chunk) => {
        records += 1;
        maxRecords = Math.max(maxRecords, records);
        await delay(chunk % 3 === 0 ? 6 : 2);
        log.push(`recorded ${chunk}`);
        records -= 1;
        taken -= 1;
      },
    });

    // Act
    for (let chunk = 1; chunk <= 8; chunk += 1) {
      await pipeline.submit(chunk);
      taken += 1;
      maxTaken = Math.max(maxTaken, taken);
    }
    await pipeline.finish();

    // Assess
    expect(maxSends).toBe(1);
    expect(maxRecords).toBe(1);
    expect(maxTaken).toBeLessThanOrEqual(2);
    const recordedOrder = log
      .filter((line) => line.startsWith('recorded'))
      .map((line) => Number(line.split(' ')[1]));
    expect(recordedOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let chunk = 1; chunk <= 8; chunk += 1) {
      expect(log.indexOf(`sent ${chunk}`)).toBeLessThan(log.indexOf(`recorded ${chunk}`));
    }
  });

  it('tells the guard when each chunk is recorded, and when one never will be', async () => {
    // Prepare: chunk 2's send fails
    const log: string[] = [];
    const pipeline = new ChunkPipeline<number, number>(
      {
        announce: async (chunk) => chunk,
        send: async (chunk) => {
          await delay(1);
          if (chunk === 2) throw new Error('broker down');
        },
        record: async (chunk) => {
          await delay(2);
          log.push(`recorded ${chunk}`);
        },
      },
      async (announceAndSend, recorded) => {
        const announced = await announceAndSend().catch((error: unknown) => {
          void recorded?.then(() => log.push('settled after failure'));
          throw error;
        });
        void recorded?.then(() => log.push(`settled ${announced}`));
        return announced;
      },
    );

    // Act
    await pipeline.submit(1);
    await pipeline.submit(2);
    await expect(pipeline.finish()).rejects.toThrow('broker down');
    await delay(5);

    // Assess: chunk 1 settles once recorded; chunk 2, never to be recorded, settles too (its own count
    // ends, while chunk 1 still holds the answers back)
    expect([...log].sort()).toEqual(['recorded 1', 'settled 1', 'settled after failure']);
    expect(log.indexOf('settled 1')).toBeGreaterThan(log.indexOf('recorded 1'));
  });
});
