import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RedriveSelection } from '../contract/operator.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import { selectedBy } from '../operator/selection.js';
import type { AppConfig } from './config.js';
import { type RecordWireBatch, readRecordWire } from './record-wire.js';
import {
  ScanAbortedError,
  type ScanBounds,
  type ScanOptions,
  type ScanSummary,
  scanTopic,
} from './topic-scan.js';

// A redrive's scan decodes the whole range to find its selection: 100,000 DLQ records for a group of
// 30,000. On a machine with a second CPU that work runs on a worker thread, beside the main thread's
// sends and ledger transactions; the main thread gets only the matching records.

export interface ScanWorkerRequestScan {
  readonly type: 'scan';
  readonly options: ScanBounds & { readonly topic: string; readonly readUncommitted?: boolean };
  readonly selection: RedriveSelection;
  /** Matching records per batch handed over, and bytes: a batch ends at whichever comes first. */
  readonly batchRecords: number;
  readonly batchBytes: number;
  /** Records left out after which a batch is handed over anyway (it carries the count, for progress). */
  readonly batchPassed: number;
  /**
   * Batches handed over and not yet finished by the main thread, at most: with `batchBytes`, the scan's
   * memory bound (about `inFlight` × `batchBytes`, plus a record larger than that, plus one fetch).
   */
  readonly inFlight: number;
}

export type ScanWorkerRequest = ScanWorkerRequestScan | { readonly type: 'ack' } | { readonly type: 'stop' };

export type ScanWorkerReply =
  /** The worker has loaded its modules and takes scans. */
  | { readonly type: 'ready' }
  | { readonly type: 'start'; readonly window: ScanSummary['window'] }
  | { readonly type: 'batch'; readonly batch: RecordWireBatch; readonly passed: number }
  | { readonly type: 'done'; readonly summary: ScanSummary }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

// The worker is this module's sibling, in the form this module runs as: TypeScript under tsx or vitest,
// JavaScript when built. A bundle (the Lambda functions) has no sibling, and scans on its own thread.
const ownUrl = import.meta.url;
const workerUrl = new URL(`./scan-worker${ownUrl.endsWith('.ts') ? '.ts' : '.js'}`, ownUrl);

/** Whether a scan can go to a worker thread here: a second CPU, and the worker's module beside this one. */
export const offThreadScanAvailable = (): boolean =>
  availableParallelism() > 1 && ownUrl.startsWith('file:') && existsSync(fileURLToPath(workerUrl));

/**
 * The worker's entry. Run from TypeScript (tsx, vitest), the worker registers tsx's loader before it
 * imports the module: Node 20 does not pass a loader to a worker through `execArgv`.
 */
const workerEntry = (): URL => {
  if (!workerUrl.pathname.endsWith('.ts')) return workerUrl;
  const tsxApi = pathToFileURL(createRequire(ownUrl).resolve('tsx/esm/api')).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(workerUrl.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
};

const errorOf = (reply: { name: string; message: string }): Error => {
  if (reply.name === 'ScanAbortedError') return new ScanAbortedError();
  const error = new Error(reply.message);
  error.name = reply.name;
  return error;
};

/**
 * Worker threads that scan with a selection, one scan at a time each. Starting one (loading kafkajs, and
 * under tsx compiling the modules) takes a few hundred milliseconds, so `warm` starts one ahead of the
 * scan, and a worker whose scan ended cleanly waits for the next. An idle worker does not keep the
 * process alive.
 */
export class ScanThreads {
  readonly #config: AppConfig;
  readonly #idle = new Set<Worker>();
  readonly #all = new Set<Worker>();
  /** Per worker: whether it loaded (false: it failed to, and ended). */
  readonly #ready = new WeakMap<Worker, Promise<boolean>>();
  #warned = false;

  readonly #entry: () => URL;

  /** `entry` replaces the worker's module (a test's worker that fails to load). */
  constructor(config: AppConfig, options: { readonly entry?: URL } = {}) {
    // The UI's tokens have no business in a scan.
    this.#config = { ...config, uiAccessToken: undefined, uiOperatorTokens: undefined };
    const { entry } = options;
    this.#entry = entry === undefined ? workerEntry : () => entry;
  }

  /**
   * Starts a worker for the next scan, unless one is waiting already. Resolves once it has loaded (or
   * failed to: the scan then starts another), never rejecting.
   */
  warm(): Promise<void> {
    const worker = this.#waitingOrNew();
    this.#idle.add(worker);
    return (this.#ready.get(worker) ?? Promise.resolve(false)).then(() => undefined);
  }

  /**
   * `scanTopic` with `selection` applied on a worker thread: `onRecord` gets the matching records, in
   * offset order per partition, awaited as by `scanTopic` (at most `inFlight` batches are read ahead);
   * `onPassed` counts the records left out as they go. Rejects as `scanTopic` does, and with what
   * `onRecord` threw, once the worker's consumer has left.
   */
  async scan(
    options: ScanOptions & { readonly selection: RedriveSelection },
    onRecord: (record: ConsumedRecord) => void | Promise<void>,
    onPassed: (count: number) => void,
  ): Promise<ScanSummary> {
    options.signal?.throwIfAborted();
    const { signal, onStart, selection, ...bounds } = options;
    const worker = this.#waitingOrNew();
    this.#idle.delete(worker);
    worker.ref();
    if (!(await this.#ready.get(worker))) {
      // A worker that cannot load is a defect of the install, not of the scan: the scan still runs.
      return scanTopic(
        this.#config,
        { ...bounds, ...(signal ? { signal } : {}), ...(onStart ? { onStart } : {}) },
        selectedBy(selection, onRecord, onPassed),
      );
    }
    if (signal?.aborted) {
      // Cancelled while the worker loaded: it has not started anything and takes the next scan.
      this.#park(worker);
      signal.throwIfAborted();
    }
    const send = (request: ScanWorkerRequest): void => worker.postMessage(request);
    const onAbort = (): void => send({ type: 'stop' });
    signal?.addEventListener('abort', onAbort, { once: true });

    // Once the scan has an outcome, or the worker failed, no record is handed over any more: the caller
    // may already be acting on the failure, and a record delivered after it would go out unaccounted for.
    // Every outcome is decided on `handled`, after the batch being handed over has finished.
    let stopped = false;
    let failure: unknown;
    let handled = Promise.resolve();
    const handle = async (reply: ScanWorkerReply): Promise<ScanSummary | undefined> => {
      switch (reply.type) {
        case 'ready':
          return undefined;
        case 'start':
          if (!stopped) onStart?.(reply.window);
          return undefined;
        case 'batch':
          try {
            for (const record of readRecordWire(reply.batch)) {
              if (stopped) break;
              const pending = onRecord(record);
              if (pending !== undefined) await pending;
            }
            if (!stopped) onPassed(reply.passed);
          } catch (error) {
            // What the caller threw is the scan's outcome; the worker stops and its consumer leaves.
            stopped = true;
            failure ??= error;
            send({ type: 'stop' });
          }
          send({ type: 'ack' });
          return undefined;
        case 'done':
          return reply.summary;
        case 'error':
          throw errorOf(reply);
      }
    };
    let clean = false;
    const listeners: {
      message?: (reply: ScanWorkerReply) => void;
      messageerror?: (error: Error) => void;
      error?: (error: Error) => void;
      exit?: (code: number) => void;
    } = {};
    try {
      const summary = await new Promise<ScanSummary>((resolve, reject) => {
        const fail = (error: unknown): void => {
          stopped = true;
          reject(failure ?? error);
        };
        const failAfterHandled = (error: unknown): void => {
          // Stop handing over at once; decide after the record being handed over returns.
          stopped = true;
          handled = handled.then(() => fail(error));
        };
        listeners.message = (reply) => {
          // One reply at a time, in order: a batch is finished before the next one, or `done`, is looked at.
          handled = handled
            .then(() => handle(reply))
            .then((summary) => {
              if (failure !== undefined) {
                if (reply.type === 'done' || reply.type === 'error') fail(failure);
              } else if (summary !== undefined) {
                stopped = true;
                resolve(summary);
              }
            })
            .catch(fail);
        };
        // A batch that could not be read on this side is lost: the scan fails rather than skip it.
        listeners.messageerror = (error) => {
          send({ type: 'stop' });
          failAfterHandled(error);
        };
        listeners.error = failAfterHandled;
        // After the replies before it: a worker that posted `done` and then ended has still answered.
        listeners.exit = (code) =>
          failAfterHandled(new Error(`the scan's worker thread exited (${code}) before the scan ended`));
        worker.on('message', listeners.message);
        worker.on('messageerror', listeners.messageerror);
        worker.on('error', listeners.error);
        worker.on('exit', listeners.exit);
        send({
          type: 'scan',
          options: bounds,
          selection,
          batchRecords: 500,
          batchBytes: 1024 * 1024,
          batchPassed: 5_000,
          inFlight: 8,
        });
      });
      clean = true;
      return summary;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (listeners.message) worker.off('message', listeners.message);
      if (listeners.messageerror) worker.off('messageerror', listeners.messageerror);
      if (listeners.error) worker.off('error', listeners.error);
      if (listeners.exit) worker.off('exit', listeners.exit);
      // Ended as it should (its consumer left): it takes the next scan.
      if (clean) this.#park(worker);
      else await this.#end(worker);
    }
  }

  /** The worker waiting for a scan, or a new one. */
  #waitingOrNew(): Worker {
    const [waiting] = this.#idle;
    return waiting ?? this.#spawn();
  }

  /** Keeps a worker that ended its scan cleanly for the next one; one waiting is enough. */
  #park(worker: Worker): void {
    if (this.#idle.size > 0) {
      void this.#end(worker);
      return;
    }
    worker.unref();
    this.#idle.add(worker);
  }

  /** Ends every worker, waiting or scanning. */
  async close(): Promise<void> {
    await Promise.all([...this.#all].map((worker) => this.#end(worker)));
  }

  #spawn(): Worker {
    const worker = new Worker(this.#entry(), { workerData: { config: this.#config } });
    worker.unref();
    this.#all.add(worker);
    let onReply: (reply: ScanWorkerReply) => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => {
      onReply = (reply) => {
        if (reply.type === 'ready') resolve(true);
      };
      worker.on('message', onReply);
      worker.once('exit', () => resolve(false));
    });
    void ready.then(() => worker.off('message', onReply));
    this.#ready.set(worker, ready);
    // A waiting worker that fails (it could not load) is dropped; the next scan starts another.
    let loaded = false;
    void ready.then((ok) => {
      loaded = ok;
    });
    worker.on('error', (error) => {
      this.#idle.delete(worker);
      // A worker that fails mid-scan fails that scan (above); one that never loaded is an install defect.
      if (!loaded && !this.#warned) {
        this.#warned = true;
        process.emitWarning(
          `a scan worker thread failed (${error.message}); such scans run on the main thread`,
        );
      }
    });
    worker.on('exit', () => {
      this.#idle.delete(worker);
      this.#all.delete(worker);
    });
    return worker;
  }

  async #end(worker: Worker): Promise<void> {
    this.#idle.delete(worker);
    this.#all.delete(worker);
    await worker.terminate();
  }
}
