import { describe, expect, it } from 'vitest';
import { FailureHeader, RedriveHeader } from '../../../shared/contract/headers.js';
import type { LedgerRunEntry } from '../../../shared/contract/ledger.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import { redriveChunkSteps } from '../../../shared/operator/chunk-steps.js';
import { LedgerState, ledgerKeys } from '../../../shared/operator/ledger-state.js';
import type { OperatorPorts } from '../../../shared/operator/ports.js';
import { RateLimiter } from '../../../shared/operator/rate-limiter.js';
import { type RedriveUnit, runHeadersOf } from '../../../shared/operator/redrive-units.js';
import { T0, topics } from '../helpers/records.js';
import { fakeOperatorPorts, type LedgerEntries, testHolder } from './fake-ports.js';

const runHeaders = runHeadersOf({ runId: 'run-1', generation: 1, operator: 'alice' });

const unit = (offset: number): RedriveUnit => ({
  from: `${topics.dlq}:0:${offset}`,
  message: {
    topic: topics.orders,
    key: Buffer.from(`o-${offset}`),
    value: Buffer.from(JSON.stringify({ orderId: `o-${offset}`, amount: 1 })),
    headers: { [FailureHeader.redrivenFrom]: Buffer.from(`${topics.dlq}:0:${offset}`), ...runHeaders },
  },
});

const runEntry = (count: number): LedgerRunEntry => ({
  type: 'run',
  runId: 'run-1',
  requestKey: 'key',
  operator: 'alice',
  startedAt: T0,
  status: 'running',
  dryRun: false,
  force: false,
  generation: 1,
  target: 'origin',
  selection: { kind: 'filter', filter: {} },
  count,
  edited: false,
});

const setup = () => {
  const clock = { now: T0 };
  const writes: LedgerEntries[] = [];
  const published: OutboundMessage[] = [];
  const recorded: number[] = [];
  const startsBy: Array<number | undefined> = [];
  const ports: OperatorPorts = {
    ...fakeOperatorPorts([], {
      writeLedger: async (_runId, entries) => {
        writes.push(entries);
      },
      publish: async (messages, startBy) => {
        published.push(...messages);
        startsBy.push(startBy);
      },
    }),
    now: () => clock.now,
  };
  const ledger = new LedgerState();
  const limiter = new RateLimiter(
    1_000_000,
    () => clock.now,
    async () => undefined,
  );
  const steps = redriveChunkSteps(
    ports,
    ledger,
    {
      runId: 'run-1',
      generation: 1,
      operator: 'alice',
      runHeaders,
      edited: false,
      sendStartMs: 10_000,
      runEntryWith: runEntry,
      onRecorded: (count) => recorded.push(count),
    },
    limiter,
    undefined,
  );
  return { clock, writes, published, startsBy, recorded, ledger, steps };
};

describe('redrive chunk steps', () => {
  it('announces a chunk with its writer and the targets’ ends, sends it with the run headers, and records it', async () => {
    // Prepare
    const fake = setup();
    const chunk = [unit(1), unit(2)];

    // Act
    const announced = await fake.steps.announce(chunk);
    await fake.steps.send(chunk, announced);
    await fake.steps.record(chunk, announced);

    // Assert
    const [intentWrite, recordWrite] = fake.writes;
    expect(intentWrite).toEqual([
      {
        key: announced.intentKey,
        entry: expect.objectContaining({
          type: 'intent',
          records: [`${topics.dlq}:0:1`, `${topics.dlq}:0:2`],
          targetEnds: { [topics.orders]: { '0': 0 } },
          holder: testHolder,
        }),
      },
    ]);
    expect(fake.published.map((message) => message.headers[RedriveHeader.runId]?.toString())).toEqual([
      'run-1',
      'run-1',
    ]);
    expect(recordWrite?.map(({ key }) => key)).toEqual([
      ledgerKeys.record(`${topics.dlq}:0:1`),
      ledgerKeys.record(`${topics.dlq}:0:2`),
      ledgerKeys.run('run-1'),
      announced.intentKey,
    ]);
    expect(recordWrite?.at(-1)?.entry).toBeNull();
    expect(fake.ledger.generationOf(`${topics.dlq}:0:2`)).toBe(1);
    expect(fake.recorded).toEqual([2]);
  });

  it('refuses to send a chunk holding a record without the run headers, and sends none of it', async () => {
    // Prepare: the resume scan finds a run's records by these headers; one without them would be sent twice
    const fake = setup();
    const stray = unit(3);
    const { [RedriveHeader.runId]: _run, ...withoutRun } = stray.message.headers;
    const chunk = [unit(1), { ...stray, message: { ...stray.message, headers: withoutRun } }];
    const announced = await fake.steps.announce(chunk);

    // Act
    const send = fake.steps.send(chunk, announced);

    // Assert
    await expect(send).rejects.toThrow('lacks its run headers');
    expect(fake.published).toEqual([]);
  });

  it('refuses to start a send later than sendStartMs after its intent, and sends nothing', async () => {
    // Prepare
    const fake = setup();
    const chunk = [unit(1)];
    const announced = await fake.steps.announce(chunk);
    fake.clock.now += 10_001;

    // Act
    const sending = fake.steps.send(chunk, announced);

    // Assert
    await expect(sending).rejects.toThrow(/10 s after its intent \(limit 10 s\); run the redrive again/);
    expect(fake.published).toEqual([]);
  });

  it('sends a chunk whose send starts right at the limit', async () => {
    const fake = setup();
    const chunk = [unit(1)];
    const announced = await fake.steps.announce(chunk);
    fake.clock.now += 10_000;

    await fake.steps.send(chunk, announced);

    expect(fake.published).toHaveLength(1);
    // A send of several requests starts each within the same limit (the publish port checks it).
    expect(fake.startsBy).toEqual([announced.at + 10_000]);
  });
});
