import { parentPort, workerData } from 'node:worker_threads';
import { selectorOf } from '../operator/selection.js';
import { RecordWireWriter } from './record-wire.js';
import type { ScanWorkerData, ScanWorkerReply, ScanWorkerRequest } from './scan-thread.js';
import { scanTopic } from './topic-scan.js';

// The worker side of `scanOffThread` (scan-thread.ts): decodes the topic and applies the selection here,
// and hands the main thread only the records that match, in order, a packed batch at a time.

const port = parentPort;
if (port === null) throw new Error('scan-worker.ts runs as a worker thread (scan-thread.ts starts it)');
const { config, options, selection, batchRecords, batchPassed, inFlight } = workerData as ScanWorkerData;

const reply = (message: ScanWorkerReply, transfer?: ArrayBuffer[]): void =>
  port.postMessage(message, transfer);

const stop = new AbortController();
let posted = 0;
let acked = 0;
let onAck: (() => void) | undefined;
port.on('message', (message: ScanWorkerRequest) => {
  if (message.type === 'stop') stop.abort();
  if (message.type === 'ack') {
    acked += 1;
    onAck?.();
  }
});
// A stop while the worker waits for an ack must end that wait too.
stop.signal.addEventListener('abort', () => onAck?.(), { once: true });

const selects = selectorOf(selection);
const writer = new RecordWireWriter(options.topic);
let passed = 0;

/** Posts what is pending; waits while the main thread has `inFlight` batches it has not finished. */
const flush = async (): Promise<void> => {
  const batch = writer.take();
  reply({ type: 'batch', batch, passed }, [batch.bytes]);
  passed = 0;
  posted += 1;
  while (posted - acked >= inFlight && !stop.signal.aborted) {
    await new Promise<void>((resolve) => {
      onAck = resolve;
    });
    onAck = undefined;
  }
};

try {
  const summary = await scanTopic(
    config,
    { ...options, signal: stop.signal, onStart: (window) => reply({ type: 'start', window }) },
    (record) => {
      if (!selects(record)) {
        passed += 1;
        return passed >= batchPassed ? flush() : undefined;
      }
      writer.add(record);
      return writer.length >= batchRecords ? flush() : undefined;
    },
  );
  if (writer.length > 0 || passed > 0) await flush();
  reply({ type: 'done', summary });
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  reply({ type: 'error', name, message });
}
