import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../shared/contract/ledger.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { OperatorError, OperatorErrorCode } from '../../../shared/operator/errors.js';
import type { OperatorPorts } from '../../../shared/operator/ports.js';
import { selectedBy } from '../../../shared/operator/selection.js';
import { createOperatorService } from '../../../shared/operator/service.js';
import { T0, topics } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';
import { testHolder } from './fake-ports.js';

/** Ports over memory: the scan delivers `records` as given; `claimWriter` waits for `gate` when set. */
const fakePorts = (records: ConsumedRecord[] = []) => {
  const ledgerWrites: Array<ReadonlyArray<{ key: string; entry: LedgerEntry | null }>> = [];
  const published: OutboundMessage[] = [];
  const state = { claims: 0, gate: undefined as Promise<void> | undefined };
  const ports: OperatorPorts = {
    topics,
    ledgerTopic: `${topics.dlq}.redrives`,
    scan: async (request, onRecord) => {
      const selected = selectedBy(request.selection, onRecord, request.onPassed);
      for (const record of records) await selected(record);
      return { scanned: records.length, window: {} };
    },
    endOffsets: async () => ({ '0': 0 }),
    offsetsAtTime: async () => ({}),
    committedOffsets: async () => ({}),
    readLedger: async (from) => from,
    claimWriter: async () => {
      state.claims += 1;
      await state.gate;
    },
    writeLedger: async (_runId, entries) => {
      ledgerWrites.push(entries);
    },
    publish: async (messages) => {
      published.push(...messages);
    },
    holder: testHolder,
    isRunning: () => false,
    now: () => T0,
    sleep: async () => undefined,
  };
  return { ports, ledgerWrites, published, state };
};

const operator = { operator: { name: 'alice' } };
const all = { selection: { kind: 'filter', filter: {} }, target: 'origin' };

describe('operator service redrive', () => {
  it('refuses a second redrive in the same service while one runs (409), and allows one after', async () => {
    // Prepare
    const fake = fakePorts();
    let open = (): void => undefined;
    fake.state.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const service = createOperatorService(fake.ports);

    // Act
    const first = service.redrive(all, operator);
    const second = service.redrive(all, operator).catch((error: unknown) => error);
    const edit = service
      .editAndRedrive(
        { record: { partition: 0, offset: 7 }, target: 'origin', value: { orderId: 'o-1', amount: 1 } },
        operator,
      )
      .catch((error: unknown) => error);
    const dryRun = await service.redrive({ ...all, dryRun: true }, operator);
    open();
    await first;
    const after = await service.redrive(all, operator);

    // Assess
    for (const refused of [await second, await edit]) {
      expect(refused).toBeInstanceOf(OperatorError);
      expect((refused as OperatorError).code).toBe(OperatorErrorCode.conflict);
    }
    expect(dryRun.dryRun).toBe(true);
    expect(after.cancelled).toBe(false);
    expect(fake.state.claims).toBe(2);
  });

  it('runs a dry run without the transactional ledger writer, keeping it in the history', async () => {
    // Prepare
    const fake = fakePorts([dlqRecord({ offset: 1 })]);
    const service = createOperatorService(fake.ports);

    // Act
    const result = await service.redrive({ ...all, dryRun: true }, operator);
    const history = await service.history();

    // Assess
    expect(result.planned).toHaveLength(1);
    expect(fake.state.claims).toBe(0);
    expect(fake.ledgerWrites).toEqual([]);
    expect(fake.published.map((message) => message.topic)).toEqual([`${topics.dlq}.redrives`]);
    expect(history.runs.map((run) => [run.dryRun, run.status])).toEqual([[true, 'completed']]);
  });

  it('sends a record the scan delivers twice (a consumer rejoin) once', async () => {
    // Prepare
    const record = dlqRecord({ offset: 1 });
    const fake = fakePorts([record, record]);
    const service = createOperatorService(fake.ports);

    // Act
    const result = await service.redrive(all, operator);

    // Assess
    expect(result.sent).toBe(1);
    expect(result.matched).toBe(1);
    expect(fake.published.filter((message) => message.topic === topics.orders)).toHaveLength(1);
  });
});
