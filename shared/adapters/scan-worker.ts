import { parentPort, workerData } from 'node:worker_threads';
import { selectorOf } from '../operator/selection.js';
import type { AppConfig } from './config.js';
import { RecordWireWriter } from './record-wire.js';
import type { ScanWorkerReply, ScanWorkerRequest, ScanWorkerRequestScan } from './scan-thread.js';
import { scanTopic } from './topic-scan.js';

// The worker side of `ScanThreads` (scan-thread.ts): decodes the topic and applies the selection here,
// and hands the main thread only the records that match, in order, a packed batch at a time. One scan at
// a time; after one ends the worker waits for the next.

const port = parentPort;
if (port === null) throw new Error('scan-worker.ts runs as a worker thread (scan-thread.ts starts it)');
const { config } = workerData as { config: AppConfig };

const reply = (message: ScanWorkerReply, transfer?: ArrayBuffer[]): void =>
  port.postMessage(message, transfer);

interface Current {
  readonly stop: AbortController;
  posted: number;
  acked: number;
  onAck: (() => void) | undefined;
}
let current: Current | undefined;

const scan = async (request: ScanWorkerRequestScan, state: Current): Promise<void> => {
  const { options, selection, batchRecords, batchPassed, inFlight } = request;
  const selects = selectorOf(selection);
  const writer = new RecordWireWriter(options.topic);
  let passed = 0;
  /** Posts what is pending; waits while the main thread has `inFlight` batches it has not finished. */
  const flush = async (): Promise<void> => {
    const batch = writer.take();
    reply({ type: 'batch', batch, passed }, [batch.bytes]);
    passed = 0;
    state.posted += 1;
    while (state.posted - state.acked >= inFlight && !state.stop.signal.aborted) {
      await new Promise<void>((resolve) => {
        state.onAck = resolve;
      });
      state.onAck = undefined;
    }
  };
  try {
    const summary = await scanTopic(
      config,
      { ...options, signal: state.stop.signal, onStart: (window) => reply({ type: 'start', window }) },
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
};

port.on('message', (message: ScanWorkerRequest) => {
  if (message.type === 'scan') {
    const state: Current = { stop: new AbortController(), posted: 0, acked: 0, onAck: undefined };
    // A stop while the worker waits for an ack must end that wait too.
    state.stop.signal.addEventListener('abort', () => state.onAck?.(), { once: true });
    current = state;
    void scan(message, state).finally(() => {
      if (current === state) current = undefined;
    });
  } else if (message.type === 'ack' && current !== undefined) {
    current.acked += 1;
    current.onAck?.();
  } else if (message.type === 'stop') {
    current?.stop.abort();
  }
});

reply({ type: 'ready' });
