import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/ui-api/topic-reader.js';
import { orderMessage, type Pipeline, startPipeline } from '../integration/helpers/pipeline.js';
import { startUiFor } from '../integration/helpers/ui-client.js';
import { waitFor } from '../integration/helpers/wait-for.js';

// Debian's Chromium (apt-get install -y chromium), driven by playwright-core over CDP.
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const token = 'e2e-token';
const screenshotFile = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'ui.png');

describe('operator UI in Chromium', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `${chromiumPath} is missing: the browser tests need Debian's Chromium. Install it with: apt-get update && apt-get install -y chromium`,
      );
    }
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    ui = await startUiFor(pipeline, token);
    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'orders-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      headless: true,
      viewport: { width: 1440, height: 1100 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await ui?.stop();
    await closeTopicReaders();
    await pipeline?.stop();
  });

  const dlqRow = (key: string) => page.locator('#topic-dlq tbody tr', { hasText: key });

  it('signs in with the access token', async () => {
    // Act
    await page.goto(ui.url);
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');

    // Assess
    await expect.poll(() => page.isVisible('#app')).toBe(true);
    await expect.poll(() => page.textContent('#topic-dlq .name')).toBe(pipeline.topics.dlq);
  });

  it('shows an order that fails permanently in the DLQ with its error, and redrives it to success', async () => {
    // Prepare
    const orderId = `e2e-redrive-${Date.now().toString(36)}`;

    // Act: produce through the form
    await page.fill('#produce-form input[name=orderId]', orderId);
    await page.check('#produce-form input[name=failUntilRedriven]');
    await page.click('#produce-form button[type=submit]');
    await page.locator('#produce-result', { hasText: `sent ${orderId}` }).waitFor();
    await page.uncheck('#produce-form input[name=failUntilRedriven]');

    // Assess: the row appears (the deadline only bounds the wait) and carries the error
    await dlqRow(orderId).waitFor({ timeout: 15_000 });
    await expect.poll(() => dlqRow(orderId).textContent()).toContain('simulate.failUntilRedriven');
    await expect.poll(() => dlqRow(orderId).textContent()).toContain('permanent-failure');

    // Act: select it and redrive it to its original topic
    await dlqRow(orderId).locator('input[type=checkbox]').check();
    await page.selectOption('#redrive-form select[name=target]', 'origin');
    await page.click('#redrive-form button[value=selected]');
    await page.locator('#redrive-result', { hasText: 'redrove 1' }).waitFor();

    // Assess: the redriven record is processed and shows its audit in orders
    await waitFor(() => pipeline.processed.some((call) => call.orderId === orderId), {
      timeoutMs: 15_000,
      description: 'the redriven order processed',
    });
    await page.locator('#topic-orders tbody tr', { hasText: `from ${pipeline.topics.dlq}:` }).waitFor();

    // Act: "redrive all matching" the same order again
    await page.fill('#redrive-form input[name=text]', orderId);
    await page.click('#redrive-form button[value=all]');
    await page.fill('#redrive-form input[name=text]', '');

    // Assess: nothing is resent, and the result says what was looked at
    const again = page.locator('#redrive-result', { hasText: 'already redriven 1' });
    await again.waitFor();
    expect(await again.textContent()).toMatch(/^redrove 0; .*scanned the latest \d+ DLQ records held/);
  });

  it('renders a script payload inert, as visible text', async () => {
    // Prepare
    const payload = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>';

    // Act: raw mode, key and value both hostile
    await page.check('#produce-form input[name=mode][value=raw]');
    await page.fill('#produce-form input[name=rawKey]', '<b id="injected">key</b>');
    await page.fill('#produce-form textarea[name=rawValue]', payload);
    await page.click('#produce-form button[type=submit]');
    await page.check('#produce-form input[name=mode][value=form]');
    const row = dlqRow('<img src=x onerror=');
    await row.waitFor({ timeout: 10_000 });
    await row.locator('td').nth(2).click();
    await page.locator('#details pre', { hasText: '<script>window.__xss=2</script>' }).waitFor();
    await page.click('#details .close');

    // Assess
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('main img, main script, dialog img, dialog script').count()).toBe(0);
    await expect.poll(() => row.textContent()).toContain('<b id="injected">key</b>');
  });

  it('answers an API call without the session cookie with 401', async () => {
    // Act
    const status = await page.evaluate(
      async () => (await fetch('/api/messages', { credentials: 'omit' })).status,
    );
    const forged = await page.evaluate(
      async () =>
        (
          await fetch('/api/produce', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ mode: 'raw', value: 'no csrf token' }),
          })
        ).status,
    );

    // Assess
    expect(status).toBe(401);
    expect(forged).toBe(403);
  });

  it('shows all three topics populated (screenshot for the README)', async () => {
    // Prepare: a demo mix, so every table has rows
    const run = Date.now().toString(36);
    await pipeline.produce([
      ...[1, 2, 3, 4].map((n) => orderMessage(`ok-${run}-${n}`, { currency: 'EUR', customerId: `c-${n}` })),
      orderMessage(`transient-${run}`, { simulate: { transientFailures: 2 } }),
      orderMessage(`exhausted-${run}`, { simulate: { transientFailures: 99 } }),
      orderMessage(`permanent-${run}`, { simulate: { permanentFailure: true } }),
      { key: Buffer.from(`poison-text-${run}`), value: Buffer.from('this is not JSON') },
      { key: Buffer.from(`poison-null-${run}`), value: null },
    ]);

    // Act
    await dlqRow(`exhausted-${run}`).waitFor({ timeout: 20_000 });
    await page
      .locator('#topic-retry tbody tr', { hasText: `transient-${run}` })
      .first()
      .waitFor();
    await expect.poll(() => page.locator('#group-stats tr').count()).toBe(2);
    await expect
      .poll(() => page.locator('#topic-stats tr').nth(1).locator('td').nth(3).textContent(), {
        timeout: 10_000,
      })
      .not.toBe('0');
    // Let the new-row highlight finish, so the screenshot shows the page at rest.
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await page.screenshot({ path: screenshotFile, fullPage: true });

    // Assess
    for (const role of ['orders', 'retry', 'dlq']) {
      expect(await page.locator(`#topic-${role} tbody tr`).count(), role).toBeGreaterThan(0);
    }
    expect(cspViolations).toEqual([]);
    expect(existsSync(screenshotFile)).toBe(true);
  });
});
