import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { type Admin, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { IntentHolder, LedgerEntry } from '../contract/ledger.js';
import type { RedriveSelection } from '../contract/operator.js';
import { RedriveTransactionalIdPrefix } from '../contract/topics.js';
import { isEmptyFilter } from '../operator/filters.js';
import { encodeLedgerEntry } from '../operator/ledger-state.js';
import type { OperatorPorts } from '../operator/ports.js';
import { selectedBy } from '../operator/selection.js';
import type { AppConfig } from './config.js';
import { groupCommit } from './group-commit.js';
import { resolveKafkaConfig } from './kafka-connection.js';
import { isProcessRunning } from './process-alive.js';
import { createBoundedPublisher, type SendBudget } from './producer.js';
import { offThreadScanAvailable, ScanThreads } from './scan-thread.js';
import { endOffsets, scanTopic } from './topic-scan.js';

export interface KafkaOperatorPorts extends OperatorPorts {
  close(): Promise<void>;
}

// A pid means this process only within its kernel boot and pid namespace (two Lambda sandboxes, or two
// containers on one host, reuse pids). Where either cannot be read, the space is this process's own, so
// every other writer counts as foreign and is waited out.
const pidSpace = (): string => {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return `process-${randomUUID()}`;
  }
};

const processHolder: IntentHolder = { space: pidSpace(), pid: process.pid, instance: randomUUID() };

/**
 * A killed run can leave a ledger transaction open; read-committed readers of the ledger wait for it
 * to be aborted. Ten seconds, instead of kafkajs' minute, bounds that wait.
 */
const ledgerTransactionTimeoutMs = 10_000;

/**
 * The redrive's sends. No produce request or retry of a chunk starts later than `sendStartMs` (10 s)
 * after its intent (the patched kafkajs checks it before each attempt and each request), and each ends
 * within its 10 s request timeout, so a chunk is over 20 s after its intent: well inside the 60 s a
 * resume on another host waits out (shared/operator/intent-liveness.ts). Few, short retries, so a broker
 * restart fails the run quickly; it is resumable.
 */
export const RedriveSendBudget: SendBudget = { requestTimeoutMs: 10_000, retries: 2, maxRetryTimeMs: 1_000 };

/**
 * Kafka's answers to a writer another process has fenced (its transactional id was claimed anew), as
 * kafkajs' `KafkaJSProtocolError` carries them (`type`, `code`), on the error or on the error it wraps
 * (`cause`): INVALID_PRODUCER_EPOCH (47), INVALID_PRODUCER_ID_MAPPING (49), and PRODUCER_FENCED (90),
 * which kafkajs does not name but newer brokers may answer.
 */
const fencedTypes = new Set(['INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'PRODUCER_FENCED']);
const fencedCodes = new Set([47, 49, 90]);

export const isFencedError = (error: unknown): boolean => {
  let cause = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const { type, code } = cause as { type?: unknown; code?: unknown };
    if (
      (typeof type === 'string' && fencedTypes.has(type)) ||
      (typeof code === 'number' && fencedCodes.has(code))
    )
      return true;
    cause = cause.cause;
  }
  return false;
};

/**
 * The operator service's ports over kafkajs: streaming scans (groups `orders-ui-…`, never committing),
 * admin offset lookups, the ledger's transactional producer (transactional id `orders-redrive-…`) and
 * the shared idempotent producer for the re-published records. Created once per container or CLI run.
 */
export interface KafkaOperatorPortsOptions {
  /**
   * Whether a scan that names its selection (a redrive's) decodes on a worker thread. Default: where
   * there is a second CPU and the worker's module (scan-thread.ts).
   */
  readonly scanOffThread?: boolean;
}

/**
 * Whether a selection leaves records of the range out, so that deciding it where the records are decoded
 * spares the main thread work. A whole-topic redrive takes every record (the worker would only add the
 * hand-over), and a list of records or an envelope is read from a range bounded to them.
 */
const leavesOut = (selection: RedriveSelection): boolean =>
  selection.kind === 'group' || (selection.kind === 'filter' && !isEmptyFilter(selection.filter));

export const createKafkaOperatorPorts = async (
  config: AppConfig,
  options: KafkaOperatorPortsOptions = {},
): Promise<KafkaOperatorPorts> => {
  const scanThreads =
    (options.scanOffThread ?? offThreadScanAvailable()) ? new ScanThreads(config) : undefined;
  const kafkaConfig = await resolveKafkaConfig(config);
  const kafka = new Kafka({ ...kafkaConfig, logLevel: logLevel.ERROR });
  // A transaction begun right after a commit meets CONCURRENT_TRANSACTIONS while the broker writes the
  // commit markers; kafkajs retries it and would log each retry as an ERROR. A failure that remains
  // still rejects the write, so nothing is hidden by keeping this client quiet.
  const ledgerKafka = new Kafka({ ...kafkaConfig, logLevel: logLevel.NOTHING });
  let admin: Promise<Admin> | undefined;
  const getAdmin = () => {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      admin = undefined;
      throw error;
    });
    return admin;
  };
  let ledgerProducer: Promise<Producer> | undefined;
  const getLedgerProducer = () => {
    ledgerProducer ??= (async () => {
      const producer = ledgerKafka.producer({
        // Stable per deployment and ledger: a new writer's InitProducerId aborts a killed writer's open
        // transaction at once (Kafka's fencing), instead of leaving it to block read-committed ledger
        // reads until it times out. Two redrives at once therefore fence each other: one fails, resumably.
        transactionalId: `${RedriveTransactionalIdPrefix}${config.clientId}-${config.ledgerTopic}`,
        transactionTimeout: ledgerTransactionTimeoutMs,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // CONCURRENT_TRANSACTIONS (the previous commit still settling) clears within milliseconds;
        // kafkajs' default first wait of 300 ms would cost that on every chunk.
        retry: { retries: 10, initialRetryTime: 20, maxRetryTime: 1_000 },
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      ledgerProducer = undefined;
      throw error;
    });
    return ledgerProducer;
  };
  const redrivePublisher = createBoundedPublisher(config, RedriveSendBudget);
  // Runs whose writer was fenced: their run is over. Reconnecting would claim the transactional id
  // again and fence the other process's live run in turn, so their later writes fail at once.
  const fencedRuns = new Map<string, unknown>();

  // One transaction at a time (a kafkajs producer holds one), and a chunk's records and the next chunk's
  // intent, asked for together, share one: a redrive commits once per chunk instead of twice.
  const writeLedger = groupCommit<{ key: string; entry: LedgerEntry | null }>(async (runId, entries) => {
    if (fencedRuns.has(runId)) throw fencedRuns.get(runId);
    const producer = await getLedgerProducer();
    const transaction = await producer.transaction();
    try {
      await transaction.send({
        topic: config.ledgerTopic,
        acks: -1,
        messages: entries.map(({ key, entry }) => ({
          key,
          value: entry === null ? null : encodeLedgerEntry(entry),
        })),
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      if (isFencedError(error)) fencedRuns.set(runId, error);
      // A producer left in an unknown state is replaced for the next run (a fenced run gets no new
      // one, above); the caller's run fails and is resumable.
      const stale = ledgerProducer;
      ledgerProducer = undefined;
      await stale?.then((producer) => producer.disconnect()).catch(() => undefined);
      throw error;
    }
  });

  return {
    topics: config.topics,
    ledgerTopic: config.ledgerTopic,
    warmScan: async (selection) => {
      if (leavesOut(selection)) await scanThreads?.warm();
    },
    scan: ({ selection, onPassed, ...request }, onRecord) =>
      selection !== undefined && scanThreads !== undefined && leavesOut(selection)
        ? scanThreads.scan({ ...request, selection }, onRecord, onPassed ?? (() => undefined))
        : scanTopic(config, request, selectedBy(selection, onRecord, onPassed)),
    endOffsets: async (topic) => endOffsets(await getAdmin(), topic),
    offsetsAtTime: async (topic, time) =>
      Object.fromEntries(
        (await (await getAdmin()).fetchTopicOffsetsByTimestamp(topic, time)).map(({ partition, offset }) => [
          String(partition),
          Number(offset),
        ]),
      ),
    committedOffsets: async (groupId, topic) => {
      const [committed] = await (await getAdmin()).fetchOffsets({ groupId, topics: [topic] });
      return Object.fromEntries(
        (committed?.partitions ?? [])
          .filter((entry) => Number(entry.offset) >= 0)
          .map((entry) => [String(entry.partition), Number(entry.offset)]),
      );
    },
    claimWriter: async () => {
      // kafkajs runs InitProducerId, which fences the earlier writer and aborts its open transaction, on
      // a producer's first transaction, not on connect. An empty transaction makes it happen now, before
      // the ledger is read; a fresh producer each claim, so a writer fenced since its last run claims
      // again instead of failing on its first write.
      const stale = ledgerProducer;
      ledgerProducer = undefined;
      await stale?.then((producer) => producer.disconnect()).catch(() => undefined);
      // A claim starts this process's one redrive (the service refuses a second): a run fenced here
      // before may now go on under the same id (a UI job continued back in this container).
      fencedRuns.clear();
      const transaction = await (await getLedgerProducer()).transaction();
      await transaction.abort();
    },
    readLedger: async (from, onEntry) => {
      const summary = await scanTopic(config, { topic: config.ledgerTopic, from }, (record) =>
        onEntry(record.key?.toString('utf8') ?? '', record.value),
      );
      return Object.fromEntries(
        Object.entries(summary.window).map(([partition, span]) => [partition, span.to]),
      );
    },
    writeLedger,
    publish: (messages, startBy) => redrivePublisher.publish(messages, startBy),
    holder: processHolder,
    isRunning: isProcessRunning,
    now: Date.now,
    sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined),
    close: async () => {
      await Promise.allSettled([
        admin?.then((client) => client.disconnect()),
        ledgerProducer?.then((producer) => producer.disconnect()),
        redrivePublisher.close(),
        scanThreads?.close(),
      ]);
    },
  };
};
