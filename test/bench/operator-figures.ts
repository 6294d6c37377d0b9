import { randomUUID } from 'node:crypto';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { readConfig } from '../../shared/adapters/config.js';
import { createKafkaOperatorPorts } from '../../shared/adapters/operator-kafka.js';
import { closeProducer } from '../../shared/adapters/producer.js';
import type { Topics } from '../../shared/domain/topics.js';
import { createOperatorService } from '../../shared/operator/service.js';
import { createTestKafka } from '../integration/helpers/kafka-client.js';
import { SeedFailures, seedDlq } from '../integration/helpers/seed-dlq.js';
import { progress } from './progress.js';
import { perSecond, round } from './stats.js';

export interface OperatorFigures {
  readonly dlqRecords: number;
  /** Records/s of a filtered list over the whole DLQ (true total computed, one page kept). */
  readonly scanPerSec: number;
  readonly groupsMs: number;
  readonly groupCount: number;
  /** Records/s of an exactly-once bulk redrive of one group (ledger intent, send, ledger transaction). */
  readonly redrivePerSec: number;
  readonly redriveRecords: number;
}

/**
 * The operator figures on a DLQ of `records` dead-lettered orders (three fingerprints), in fresh
 * topics: a filtered scan, the grouping, and an exactly-once redrive of one group at an unthrottled
 * rate, so it compares with `raw_produce_per_s` of the same run.
 */
export const measureOperatorFigures = async (options: {
  brokers: string;
  records: number;
}): Promise<OperatorFigures> => {
  const id = randomUUID().slice(0, 8);
  const topics: Topics = {
    orders: `bench-ops-${id}.v1`,
    retry: `bench-ops-${id}.retry`,
    dlq: `bench-ops-${id}.dlq`,
  };
  const ledgerTopic = `${topics.dlq}.redrives`;
  const all = [...Object.values(topics), ledgerTopic];
  await ensureTopics(options.brokers, { topics: all, partitions: 3, intakeTopics: [topics.orders] });
  const kafka = createTestKafka(options.brokers, { clientId: 'bench-operator' });
  const admin = kafka.admin();
  await admin.connect();
  const ports = await createKafkaOperatorPorts(
    readConfig({
      KAFKA_BROKERS: options.brokers,
      TOPIC_ORDERS: topics.orders,
      TOPIC_RETRY: topics.retry,
      TOPIC_DLQ: topics.dlq,
    }),
  );
  try {
    progress(`operator: seeding ${options.records} dead-lettered orders`);
    await seedDlq(kafka, topics, options.records, { prefix: 'bench-ops' });
    const service = createOperatorService(ports);

    progress('operator: filtered scan of the whole DLQ');
    let started = performance.now();
    const page = await service.list({ filter: { reason: 'permanent-failure' }, limit: 100 });
    const scanPerSec = perSecond(page.scanned, performance.now() - started);

    progress('operator: grouping the whole DLQ');
    started = performance.now();
    const { groups } = await service.groups({});
    const groupsMs = performance.now() - started;

    const group = groups.find((candidate) => candidate.errorClass === SeedFailures[2].className);
    const selection = { kind: 'group', fingerprint: group?.fingerprint ?? '' } as const;
    // The scan's worker thread is started before the clock, as ProducerPerformance's JVM and client are
    // before its own: the figure is the redrive's, not a thread's start (~250 ms under tsx). A redrive
    // starts it itself too, while it reads the ledger.
    await ports.warmScan?.(selection);
    progress(`operator: exactly-once redrive of one group (${group?.count ?? 0} records)`);
    started = performance.now();
    const result = await service.redrive(
      {
        selection,
        target: 'origin',
        ratePerSecond: 50_000,
      },
      { operator: { name: 'bench' } },
    );
    const redrivePerSec = perSecond(result.sent, performance.now() - started);
    return {
      dlqRecords: options.records,
      scanPerSec,
      groupsMs,
      groupCount: groups.length,
      redrivePerSec,
      redriveRecords: result.sent,
    };
  } finally {
    await ports.close();
    await closeProducer();
    await admin.deleteTopics({ topics: all }).catch(() => undefined);
    await admin.disconnect();
  }
};

/** The JSON figures, merged into the bench's last line. */
export const operatorJson = (figures: OperatorFigures, rawProducePerSec: number) => ({
  dlq_records: figures.dlqRecords,
  dlq_scan_per_s: round(figures.scanPerSec),
  dlq_groups_ms: round(figures.groupsMs),
  redrive_per_s: round(figures.redrivePerSec),
  redrive_vs_raw_produce:
    rawProducePerSec > 0 ? round(figures.redrivePerSec / rawProducePerSec, 3) : Number.NaN,
});

/** Table rows in the bench's layout. */
export const operatorRows = (figures: OperatorFigures): string[] => [
  `dlq_scan_per_s         ${round(figures.scanPerSec)}  (filtered list over ${figures.dlqRecords} DLQ records)`,
  `dlq_groups_ms          ${round(figures.groupsMs)}  (${figures.groupCount} groups over ${figures.dlqRecords} records)`,
  `redrive_per_s          ${round(figures.redrivePerSec)}  (exactly-once redrive of ${figures.redriveRecords} records)`,
];
