import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { RedriveHeader } from '../../shared/contract/headers.js';
import { dlqMessages } from '../integration/helpers/dlq-records.js';
import { createTestKafka } from '../integration/helpers/kafka-client.js';
import { type Pipeline, startPipeline } from '../integration/helpers/pipeline.js';
import { readTopic } from '../integration/helpers/read-topic.js';
import { startUiFor } from '../integration/helpers/ui-client.js';
import { waitFor } from '../integration/helpers/wait-for.js';
import { launchBrowser } from './helpers/browser.js';
import { type SwitchProxy, startSwitchProxy } from './helpers/switch-proxy.js';

const tokens = 'carol:carol-e2e-token';
const groupSize = 200;

// On Lambda each environment has its own redrive jobs, and a function URL may send the next poll to
// another one. Two UI servers over the same topics stand for two environments, behind a proxy that
// moves the browser from the first to the second part-way through a redrive.
describe('a UI redrive whose polls move to another container', () => {
  let pipeline: Pipeline;
  let first: LocalUi;
  let second: LocalUi;
  let proxy: SwitchProxy;
  let browser: Browser;

  beforeAll(async () => {
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    await pipeline.produce(
      dlqMessages(pipeline, {
        prefix: 'hop',
        count: groupSize,
        errorMessage: (i) => `tax service rejected order hop-${i}: region ${i % 7} unknown`,
      }),
      pipeline.topics.dlq,
    );
    first = await startUiFor(pipeline, tokens);
    second = await startUiFor(pipeline, tokens, { ownsLedger: false });
    proxy = await startSwitchProxy([first.url, second.url]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await second?.stop();
    await first?.stop();
    await closeTopicReaders();
    await pipeline?.stop();
  });

  it('goes on in the container each poll reaches, there and back, in the same run: every order sent once, none left out', async () => {
    // Prepare: a slow redrive (20 records a second), started on the first server
    const page = await (await browser.newContext()).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(proxy.url);
    await page.fill('#token', 'carol-e2e-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#groups-body tr', { hasText: 'tax service rejected' }).click();
    await expect.poll(() => page.textContent('#group-count')).toBe(`${groupSize} records`);
    await page.fill('#group-redrive-form input[name=rate]', '20');
    await page.click('#group-redrive');
    await waitFor(async () => /sent [1-9]\d/.test((await page.textContent('#redrive-status')) ?? ''), {
      timeoutMs: 30_000,
      description: 'a few chunks sent from the first server',
    });

    // Act: the next poll reaches the second server, which has no such job; later ones the first again,
    // whose own job of the run is still waiting there, unattended
    proxy.switchTo(1);
    const sentOnFirst = Number(/sent (\d+)/.exec((await page.textContent('#redrive-status')) ?? '')?.[1]);
    await waitFor(
      async () =>
        Number(/sent (\d+)/.exec((await page.textContent('#redrive-status')) ?? '')?.[1]) > sentOnFirst + 20,
      { timeoutMs: 60_000, description: 'more chunks sent from the second server' },
    );
    proxy.switchTo(0);
    await page.locator('#redrive-status[data-state=done]').waitFor({ timeout: 110_000 });

    // Assess
    const status = (await page.textContent('#redrive-status')) ?? '';
    expect(status).toContain('(continued in another container)');
    const orders = await readTopic(createTestKafka(pipeline.config.brokers.join(','), { quiet: true }), {
      topic: pipeline.topics.orders,
      timeoutMs: 3_000,
    });
    const redriven = orders.filter((message) => message.key?.toString().startsWith('hop-'));
    const keys = redriven.map((message) => message.key?.toString());
    expect(new Set(keys).size).toBe(groupSize);
    expect(redriven).toHaveLength(groupSize);
    // One run from start to end: the second server continued the first one's run id.
    expect(new Set(redriven.map((message) => String(message.headers?.[RedriveHeader.runId]))).size).toBe(1);
    const entry = page.locator('#history-body tr', { hasText: 'completed' });
    await entry.first().waitFor();
    expect(await page.locator('#history-body tr').count()).toBe(1);
    expect(await entry.first().textContent()).toContain(String(groupSize));
    await waitFor(() => new Set(pipeline.processed.map((call) => call.orderId)).size >= groupSize, {
      timeoutMs: 30_000,
      description: 'every redriven order processed',
    });
    await page.context().close();
  });
});
