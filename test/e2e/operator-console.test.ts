import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { RedriveHeader } from '../../shared/contract/headers.js';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { dlqMessages } from '../integration/helpers/dlq-records.js';
import { createTestKafka } from '../integration/helpers/kafka-client.js';
import { type Pipeline, startPipeline } from '../integration/helpers/pipeline.js';
import { readTopic } from '../integration/helpers/read-topic.js';
import { startUiFor } from '../integration/helpers/ui-client.js';
import { waitFor } from '../integration/helpers/wait-for.js';
import { launchBrowser } from './helpers/browser.js';

const tokens = 'alice:alice-e2e-token,bob:bob-e2e-token';
const screenshotFile = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'ui.png');

/** Three failure groups of different sizes, written straight to the DLQ. */
const seed = async (pipeline: Pipeline): Promise<void> => {
  const groups = [
    {
      prefix: 'pay',
      count: 300,
      errorMessage: (i: number) => `order pay-${i} rejected: card ${4000 + i} declined`,
    },
    {
      prefix: 'stock',
      count: 120,
      errorMessage: (i: number) => `warehouse "W-${i % 5}" has no stock for sku-${i}`,
    },
    {
      prefix: 'addr',
      count: 40,
      errorMessage: (i: number) => `address of customer c-${i} failed validation`,
    },
  ];
  // In waves a little apart, so each group's trend has more than one bucket to show.
  for (let wave = 0; wave < 4; wave += 1) {
    for (const group of groups) {
      const messages = dlqMessages(pipeline, group).filter((_, index) => index % 4 === wave);
      await pipeline.produce(messages, pipeline.topics.dlq);
    }
    await delay(400);
  }
};

describe('operator console in Chromium', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    await seed(pipeline);
    ui = await startUiFor(pipeline, tokens);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await closeTopicReaders();
    await pipeline?.stop();
  });

  /** A page in a fresh browser context (its own cookies), signed in as `operator`. */
  const signedIn = async (token: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1400 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(ui.url);
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor({ state: 'visible' });
    return page;
  };

  /** Ends a case: no CSP violation was reported by any page, and this page's context is closed. */
  const done = async (page: Page): Promise<void> => {
    await page.context().close();
    expect(cspViolations).toEqual([]);
  };

  const groupRow = (page: Page, text: string) => page.locator('#groups-body tr', { hasText: text });

  it('opens the groups view: each failure group with its count, reason, message and a trend chart', async () => {
    // Prepare
    const page = await signedIn('alice-e2e-token');

    // Act
    await groupRow(page, 'card <n> declined').waitFor();

    // Assess
    await expect.poll(() => page.textContent('#groups-total')).toBe('460 records in 3 groups');
    expect(await page.textContent('#operator')).toBe('signed in as alice');
    const counts = await page.locator('#groups-body tr td.count').allTextContents();
    expect(counts).toEqual(['300', '120', '40']);
    expect(await groupRow(page, 'card').locator('td').nth(2).textContent()).toBe('permanent-failure');
    expect(await page.locator('#groups-body tr .spark canvas').count()).toBe(3);
    await page.locator('#rates-chart canvas').waitFor();
    await page.locator('#lag-chart canvas').waitFor();
    expect(cspViolations).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: screenshotFile, clip: { x: 0, y: 0, width: 1440, height: 900 } });
    }
    await done(page);
  });

  it('searches the whole DLQ on the server: the groups narrow to what matches, with true counts', async () => {
    // Prepare
    const page = await signedIn('alice-e2e-token');
    await groupRow(page, 'card <n> declined').waitFor();

    // Act
    await page.fill('#search-form input[name=text]', 'W-3');
    await page.click('#search-form button[type=submit]');

    // Assess
    await expect
      .poll(() => page.textContent('#groups-total'))
      .toBe('24 records in 1 groups matching the search');
    expect(await page.locator('#groups-body tr td.count').allTextContents()).toEqual(['24']);
    await groupRow(page, 'has no stock').click();
    await expect.poll(() => page.textContent('#group-count')).toBe('24 records');
    expect(await page.locator('#group-records tr').count()).toBe(24);
    await done(page);
  });

  it('picks a group, shows its true count, redrives it with progress and watches it drain', async () => {
    // Prepare
    const page = await signedIn('alice-e2e-token');
    await groupRow(page, 'card <n> declined').click();
    await expect.poll(() => page.textContent('#group-count')).toBe('300 records');
    const shown = await page.locator('#group-records tr').count();
    const statuses = new Set<string>();

    // Act
    await page.fill('#group-redrive-form input[name=rate]', '100');
    await page.click('#group-redrive');
    await waitFor(
      async () => {
        const status = (await page.textContent('#redrive-status')) ?? '';
        statuses.add(status);
        return (await page.getAttribute('#redrive-status', 'data-state')) === 'done';
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'the group redrive to finish' },
    );

    // Assess
    expect(shown).toBe(50);
    expect(await page.isVisible('#group-more')).toBe(true);
    expect([...statuses].some((status) => /^(scanning|sending): sent \d+ of ~\d+/.test(status))).toBe(true);
    expect(await page.textContent('#redrive-status')).toMatch(/^done: redrove 300 of 300 matching/);
    expect(await page.getAttribute('#redrive-progress', 'value')).toBe('1');
    await expect
      .poll(() => groupRow(page, 'card <n> declined').locator('td.count').textContent(), { timeout: 15_000 })
      .toBe('300 (300 redriven, 0 left)');
    await waitFor(() => pipeline.processed.filter((call) => call.orderId.startsWith('pay-')).length >= 300, {
      timeoutMs: 30_000,
      description: 'the 300 redriven orders processed',
    });
    await done(page);
  });

  it('edits one record as JSON, refuses an invalid order, and redrives the corrected one', async () => {
    // Prepare
    const page = await signedIn('bob-e2e-token');
    await groupRow(page, 'has no stock').click();
    const row = page.locator('#group-records tr').first();
    const key = (await row.locator('td').nth(2).textContent()) ?? '';
    const value = page.locator('#edit-form textarea[name=value]');

    // Act: an order the schema refuses
    await row.locator('button.edit').click();
    await expect.poll(() => value.inputValue()).toContain(`"orderId": "${key}"`);
    await value.fill(JSON.stringify({ orderId: key, amount: -5 }));
    await page.click('#edit-redrive');
    await page.locator('#edit-result.error').waitFor();
    const refused = await page.textContent('#edit-result');

    // Act: the corrected order
    await value.fill(JSON.stringify({ orderId: key, amount: 77.5, currency: 'EUR' }, null, 2));
    await page.click('#edit-redrive');
    await page.locator('#edit-result', { hasText: 'redriven with the edit' }).waitFor();

    // Assess
    expect(refused).toMatch(/amount/);
    const orders = await readTopic(createTestKafka(pipeline.config.brokers.join(','), { quiet: true }), {
      topic: pipeline.topics.orders,
      timeoutMs: 3_000,
    });
    const edited = orders.filter((message) => message.key?.toString() === key);
    expect(edited).toHaveLength(1);
    expect(JSON.parse(String(edited[0]?.value))).toMatchObject({ orderId: key, amount: 77.5 });
    expect(String(edited[0]?.headers?.[RedriveHeader.edited])).toBe('true');
    expect(String(edited[0]?.headers?.[RedriveHeader.operator])).toBe('bob');
    expect(String(edited[0]?.headers?.[FailureHeader.redrivenFrom])).toMatch(
      new RegExp(`^${pipeline.topics.dlq}:\\d+:\\d+$`),
    );
    await waitFor(() => pipeline.processed.some((call) => call.orderId === key), {
      timeoutMs: 30_000,
      description: 'the edited order processed',
    });
    await done(page);
  });

  it('shows a redrive in the history with the name of the operator who ran it', async () => {
    // Prepare
    const page = await signedIn('bob-e2e-token');
    await groupRow(page, 'failed validation').click();
    await expect.poll(() => page.textContent('#group-count')).toBe('40 records');

    // Act
    await page.click('#group-redrive');
    await page.locator('#redrive-status[data-state=done]').waitFor({ timeout: 60_000 });

    // Assess
    const entry = page.locator('#history-body tr', { hasText: 'group' }).filter({ hasText: '40' });
    await entry.first().waitFor();
    expect(await entry.first().locator('td.operator').textContent()).toBe('bob');
    expect(await entry.first().textContent()).toContain('completed');
    await done(page);
  });

  // Last in the file: it redrives part of the "has no stock" group, whose first record the edit case sends.
  it('cancels a running group redrive from the page: it stops before its next chunk, and the rest stays', async () => {
    // Prepare: a slow redrive (5 records a second, so 5 a chunk)
    const page = await signedIn('alice-e2e-token');
    await groupRow(page, 'has no stock').click();
    await expect.poll(() => page.textContent('#group-count')).toMatch(/^120 /);
    await page.fill('#group-redrive-form input[name=rate]', '5');
    await page.click('#group-redrive');
    await waitFor(async () => /sent [1-9]/.test((await page.textContent('#redrive-status')) ?? ''), {
      timeoutMs: 30_000,
      description: 'the first chunk sent',
    });

    // Act
    await page.click('#redrive-cancel');
    await page.locator('#redrive-status[data-state=cancelled]').waitFor({ timeout: 30_000 });
    const status = (await page.textContent('#redrive-status')) ?? '';
    const sentByCancel = Number(/^cancelled after (\d+) of \d+ matching/.exec(status)?.[1] ?? Number.NaN);
    // Nothing more goes out once the run has stopped.
    await new Promise<void>((resolve) => setTimeout(resolve, 2_000));
    const orders = await readTopic(createTestKafka(pipeline.config.brokers.join(','), { quiet: true }), {
      topic: pipeline.topics.orders,
      timeoutMs: 3_000,
    });
    const redriven = orders.filter(
      (message) =>
        message.key?.toString().startsWith('stock-') &&
        String(message.headers?.[RedriveHeader.operator]) === 'alice',
    );

    // Assess
    expect(status).toMatch(/^cancelled after \d+ of \d+ matching/);
    expect(sentByCancel).toBeGreaterThan(0);
    expect(sentByCancel).toBeLessThan(119);
    expect(redriven).toHaveLength(sentByCancel);
    const entry = page.locator('#history-body tr', { hasText: 'cancelled' });
    await entry.first().waitFor();
    expect(await entry.first().locator('td.operator').textContent()).toBe('alice');
    await done(page);
  });
});
