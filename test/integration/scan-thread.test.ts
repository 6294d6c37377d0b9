import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AppConfig, readConfig } from '../../shared/adapters/config.js';
import { ScanThreads } from '../../shared/adapters/scan-thread.js';
import { ScanAbortedError, scanTopic } from '../../shared/adapters/topic-scan.js';
import type { RedriveSelection } from '../../shared/contract/operator.js';
import type { ConsumedRecord } from '../../shared/domain/kafka-event.js';
import { fingerprintRecord } from '../../shared/operator/fingerprint.js';
import { selectedBy } from '../../shared/operator/selection.js';
import { type FreshDlq, SeedFailures, seedFreshDlq } from './helpers/seed-dlq.js';

const seeded = 20_000;

// A redrive's scan on a worker thread (scan-thread.ts) against the real broker: it must hand over exactly
// the records the same scan on the main thread selects, in the same order, and stop as that one does.
describe('off-thread scan', () => {
  const brokers = inject('kafkaBrokers');
  let dlq: FreshDlq;
  let topics: FreshDlq['topics'];
  let config: AppConfig;
  let threads: ScanThreads;
  let group: RedriveSelection;

  beforeAll(async () => {
    dlq = await seedFreshDlq(brokers, 'scan-thread', seeded);
    topics = dlq.topics;
    config = readConfig({ KAFKA_BROKERS: brokers, TOPIC_DLQ: topics.dlq });
    threads = new ScanThreads(config);
    let fingerprint = '';
    await scanTopic(config, { topic: topics.dlq, to: { '0': 50, '1': 50, '2': 50 } }, (record) => {
      if (record.headers['x-error-class']?.toString() === SeedFailures[2].className) {
        fingerprint = fingerprintRecord(record).fingerprint;
      }
    });
    group = { kind: 'group', fingerprint };
  }, 120_000);

  afterAll(async () => {
    await threads?.close();
    await dlq?.remove();
  });

  /** Per partition, in the order handed over: the only order a scan promises. */
  const byPartition = (records: ConsumedRecord[]): Record<number, string[]> => {
    const partitions: Record<number, string[]> = {};
    for (const record of records) {
      const list = partitions[record.partition] ?? [];
      list.push(`${record.offset}:${record.key?.toString() ?? ''}:${JSON.stringify(record.headers)}`);
      partitions[record.partition] = list;
    }
    return partitions;
  };

  it('hands over the records the selection takes, in each partition in the order the main thread reads them', async () => {
    // Prepare
    const inThread: ConsumedRecord[] = [];
    let passedInThread = 0;
    await scanTopic(
      config,
      { topic: topics.dlq },
      selectedBy(
        group,
        (record) => {
          inThread.push(record);
        },
        (count) => {
          passedInThread += count;
        },
      ),
    );
    const offThread: ConsumedRecord[] = [];
    let passed = 0;
    let window: unknown;

    // Act
    const summary = await threads.scan(
      { topic: topics.dlq, selection: group, onStart: (range) => (window = range) },
      async (record) => {
        offThread.push(record);
      },
      (count) => {
        passed += count;
      },
    );

    // Assess
    expect(inThread.length).toBeGreaterThan(seeded / 3 - 10);
    expect(byPartition(offThread)).toEqual(byPartition(inThread));
    expect(passed).toBe(passedInThread);
    expect(passed + offThread.length).toBe(seeded);
    expect(summary.scanned).toBe(seeded);
    expect(window).toEqual(summary.window);
  }, 120_000);

  it('stops on an abort, with the error a scan on the main thread gives, and hands over nothing after', async () => {
    // Prepare
    const stop = new AbortController();
    let delivered = 0;

    // Act
    const scan = threads.scan(
      { topic: topics.dlq, selection: { kind: 'filter', filter: {} }, signal: stop.signal },
      (record) => {
        delivered += 1;
        if (delivered === 1_000) stop.abort();
        return record.offset < 0 ? Promise.resolve() : undefined;
      },
      () => undefined,
    );

    // Assess
    await expect(scan).rejects.toBeInstanceOf(ScanAbortedError);
    const atEnd = delivered;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toBe(atEnd);
    // Only the batches already handed over (500 records each, eight in flight) follow the abort.
    expect(delivered).toBeLessThanOrEqual(1_000 + 9 * 500);
  }, 60_000);

  it("fails with what the caller's handler threw, and reads no further", async () => {
    // Prepare
    const failure = new Error('ledger fenced');
    let delivered = 0;

    // Act
    const scan = threads.scan(
      { topic: topics.dlq, selection: { kind: 'filter', filter: {} } },
      () => {
        delivered += 1;
        if (delivered === 700) throw failure;
      },
      () => undefined,
    );

    // Assess
    await expect(scan).rejects.toBe(failure);
    expect(delivered).toBe(700);
  }, 60_000);

  it('scans on the main thread, the same records, when its worker cannot load', async () => {
    // Prepare
    const broken = new ScanThreads(config, {
      entry: new URL(`data:text/javascript,${encodeURIComponent("throw new Error('no such module')")}`),
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const expected: ConsumedRecord[] = [];
    await scanTopic(
      config,
      { topic: topics.dlq },
      selectedBy(group, (record) => {
        expected.push(record);
      }),
    );
    const got: ConsumedRecord[] = [];

    // Act
    try {
      await broken.warm();
      await broken.scan(
        { topic: topics.dlq, selection: group },
        (record) => {
          got.push(record);
        },
        () => undefined,
      );
    } finally {
      process.off('warning', onWarning);
      await broken.close();
    }

    // Assess
    expect(byPartition(got)).toEqual(byPartition(expected));
    expect(warnings.join('\n')).toContain('no such module');
  }, 120_000);

  it('is cancelled by an abort that comes while its worker loads, and its worker then takes the next scan', async () => {
    // Prepare: a fresh worker takes a few hundred milliseconds to load
    const fresh = new ScanThreads(config);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 10);
    let delivered = 0;

    try {
      // Act
      const cancelled = fresh.scan(
        { topic: topics.dlq, selection: group, signal: stop.signal },
        () => {
          delivered += 1;
        },
        () => undefined,
      );

      // Assess
      await expect(cancelled).rejects.toThrow(/abort/i);
      expect(delivered).toBe(0);
      const next = await fresh.scan(
        { topic: topics.dlq, selection: { kind: 'filter', filter: {} }, to: { '0': 10, '1': 10, '2': 10 } },
        () => {
          delivered += 1;
        },
        () => undefined,
      );
      expect(next.scanned).toBe(30);
      expect(delivered).toBe(30);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('fails when its worker crashes mid-batch, and hands over nothing after the record in hand', async () => {
    // Prepare: a worker that hands over three records, then crashes while the first is being handled
    const crashing = `
      import { parentPort } from 'node:worker_threads';
      parentPort.postMessage({ type: 'ready' });
      parentPort.on('message', (message) => {
        if (message.type !== 'scan') return;
        const bytes = new ArrayBuffer(3 * 33);
        const view = new DataView(bytes);
        for (let index = 0, at = 0; index < 3; index += 1, at += 33) {
          view.setInt32(at, 0);
          view.setFloat64(at + 4, index);
          view.setFloat64(at + 12, 0);
          view.setInt32(at + 20, -1);
          view.setInt32(at + 24, 1);
          view.setUint8(at + 28, 118);
          view.setInt32(at + 29, 0);
        }
        parentPort.postMessage({ type: 'start', window: {} });
        parentPort.postMessage({ type: 'batch', batch: { topic: 't', count: 3, names: [], bytes }, passed: 0 }, [bytes]);
        setTimeout(() => { throw new Error('worker crashed'); }, 50);
      });`;
    const broken = new ScanThreads(config, {
      entry: new URL(`data:text/javascript,${encodeURIComponent(crashing)}`),
    });
    const handled: number[] = [];
    let handlerEndedAt = 0;

    try {
      // Act
      const scan = broken.scan(
        { topic: topics.dlq, selection: group },
        async (record) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          handled.push(record.offset);
          handlerEndedAt = performance.now();
        },
        () => undefined,
      );
      const failed = await scan.then(
        () => undefined,
        (error: unknown) => ({ error, at: performance.now() }),
      );

      // Assess: long enough for the two other records to have been handled, had they been handed over
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(String(failed?.error)).toContain('worker crashed');
      expect(handled).toEqual([0]);
      expect(failed?.at).toBeGreaterThanOrEqual(handlerEndedAt);
    } finally {
      await broken.close();
    }
  }, 60_000);
});
