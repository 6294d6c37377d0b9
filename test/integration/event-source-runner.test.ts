import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import {
  type EventSourceRunner,
  startEventSourceRunner,
} from '../../infra/local/runner/event-source-runner.js';
import { readKafkaEventSources, repoRoot } from '../../infra/local/runner/serverless-functions.js';
import type { LambdaKafkaEvent } from '../../shared/domain/kafka-event.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers);
const quietLog = { info: () => undefined, warn: () => undefined };

describe('the local event-source runner', () => {
  let runner: EventSourceRunner | undefined;

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  it('delivers a batch again after a timeout, only once the timed-out invocation has ended', async () => {
    // Prepare: the main consumer's mapping from serverless.yml, on a fresh topic, with a 1 s timeout
    const [source] = await readKafkaEventSources(path.join(repoRoot, 'serverless.yml'));
    if (source === undefined) throw new Error('serverless.yml declares no kafka event');
    const topic = `runner-${randomUUID()}`;
    await ensureTopics(brokers, { topics: [topic], partitions: 1 });
    const invocations: { started: number; ended: number; remainingAtStart: number; offsets: number[] }[] = [];
    const handler = async (event: LambdaKafkaEvent, context: { getRemainingTimeInMillis(): number }) => {
      const call = {
        started: Date.now(),
        ended: 0,
        remainingAtStart: context.getRemainingTimeInMillis(),
        offsets: [] as number[],
      };
      call.offsets = Object.values(event.records)
        .flat()
        .map((record) => record.offset);
      invocations.push(call);
      // The first invocation outlives the 1 s timeout; later ones return at once.
      if (invocations.length === 1) await new Promise((resolve) => setTimeout(resolve, 2_500));
      call.ended = Date.now();
    };
    runner = await startEventSourceRunner({
      source: { ...source, topic, consumerGroupId: `runner-${randomUUID()}`, timeoutSeconds: 1 },
      handler,
      kafka: { brokers: brokers.split(',') },
      log: quietLog,
      retryBackoffMs: { initial: 100, max: 100 },
    });
    const producer = kafka.producer();
    await producer.connect();

    // Act
    await producer.send({
      topic,
      messages: [
        { key: 'k', value: 'v1' },
        { key: 'k', value: 'v2' },
      ],
    });
    await producer.disconnect();
    await waitFor(() => invocations.length >= 2 && (invocations[1]?.ended ?? 0) > 0, {
      timeoutMs: 30_000,
      description: 'a second delivery',
    });

    // Assess
    const [first, second] = invocations;
    expect(first?.remainingAtStart).toBeLessThanOrEqual(1_000);
    expect(second?.offsets).toEqual(first?.offsets);
    expect(second?.started).toBeGreaterThanOrEqual(first?.ended ?? Number.POSITIVE_INFINITY);
    const admin = kafka.admin();
    await admin.connect();
    const groupId = runner.source.consumerGroupId;
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets?.partitions[0]?.offset === '2';
      },
      { timeoutMs: 10_000, description: 'the offset committed after the successful delivery' },
    );
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
