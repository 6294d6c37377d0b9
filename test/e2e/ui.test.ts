import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalUi } from '../../infra/local/ui-server.js';
import { closeTopicReaders } from '../../shared/adapters/topic-reader.js';
import { orderMessage, type Pipeline, startPipeline } from '../integration/helpers/pipeline.js';
import { startUiFor } from '../integration/helpers/ui-client.js';
import { waitFor } from '../integration/helpers/wait-for.js';
import { launchBrowser } from './helpers/browser.js';

const token = 'e2e-token';
const screenshotFile = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'ui.png');
// The README's screenshot is tracked: it is rewritten only on request, never as a side effect of a run.
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A page of its own, signed in, that records the dialogs and CSP violations it sees. */
interface SignedInPage {
  readonly page: Page;
  readonly dialogs: string[];
  readonly cspViolations: string[];
}

describe('operator UI in Chromium', () => {
  let pipeline: Pipeline;
  let ui: LocalUi;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    pipeline = await startPipeline({ brokers: inject('kafkaBrokers') });
    ui = await startUiFor(pipeline, token);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await closeTopicReaders();
    await pipeline?.stop();
  });

  /** A fresh browser context (its own cookies), on the login page. */
  const openPage = async (): Promise<SignedInPage> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    contexts.push(context);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const cspViolations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(ui.url);
    return { page, dialogs, cspViolations };
  };

  const signIn = async (page: Page): Promise<void> => {
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
  };

  const signedInPage = async (): Promise<SignedInPage> => {
    const opened = await openPage();
    await signIn(opened.page);
    return opened;
  };

  const dlqRow = (page: Page, key: string) => page.locator('#topic-dlq tbody tr', { hasText: key });

  it('signs in with the access token', async () => {
    // Prepare
    const { page } = await openPage();

    // Act
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');

    // Assess
    await expect.poll(() => page.isVisible('#app')).toBe(true);
    await expect.poll(() => page.textContent('#topic-dlq .name')).toBe(pipeline.topics.dlq);
  });

  it('shows an order that fails permanently in the DLQ with its error, and redrives it to success', async () => {
    // Prepare
    const { page } = await signedInPage();
    const orderId = `e2e-redrive-${Date.now().toString(36)}`;

    // Act: produce through the form
    await page.fill('#produce-form input[name=orderId]', orderId);
    await page.check('#produce-form input[name=failUntilRedriven]');
    await page.click('#produce-form button[type=submit]');
    await page.locator('#produce-result', { hasText: `sent ${orderId}` }).waitFor();

    // Assess: the row appears (the deadline only bounds the wait) and carries the error
    await dlqRow(page, orderId).waitFor({ timeout: 15_000 });
    await expect.poll(() => dlqRow(page, orderId).textContent()).toContain('simulate.failUntilRedriven');
    await expect.poll(() => dlqRow(page, orderId).textContent()).toContain('permanent-failure');

    // Act: select it and redrive it to its original topic
    await dlqRow(page, orderId).locator('input[type=checkbox]').check();
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

    // Assess: nothing is resent, and the result says what was looked at
    const again = page.locator('#redrive-result', { hasText: 'already redriven 1' });
    await again.waitFor();
    expect(await again.textContent()).toMatch(/^redrove 0; .*scanned the latest \d+ DLQ records held/);
  });

  it('renders a script payload inert, as visible text', async () => {
    // Prepare
    const { page, dialogs } = await signedInPage();
    const run = Date.now().toString(36);
    const payload = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>${run}`;

    // Act: raw mode, key and value both hostile
    await page.check('#produce-form input[name=mode][value=raw]');
    await page.fill('#produce-form input[name=rawKey]', `<b id="injected">key-${run}</b>`);
    await page.fill('#produce-form textarea[name=rawValue]', payload);
    await page.click('#produce-form button[type=submit]');
    const row = dlqRow(page, `key-${run}`);
    await row.waitFor({ timeout: 10_000 });
    await row.locator('td').nth(2).click();
    await page.locator('#details pre', { hasText: '<script>window.__xss=2</script>' }).waitFor();
    await page.click('#details .close');

    // Assess
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('main img, main script, dialog img, dialog script').count()).toBe(0);
    await expect.poll(() => row.textContent()).toContain(`<b id="injected">key-${run}</b>`);
  });

  it('answers an API call without the session cookie with 401, and a POST without a CSRF token with 403', async () => {
    // Prepare
    const { page } = await signedInPage();

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

  it('shows all three topics populated and the consumer-group lag', async () => {
    // Prepare: a demo mix, so every table has rows
    const { page, cspViolations } = await signedInPage();
    const run = Date.now().toString(36);
    const startedAt = Date.now();

    // Act
    await pipeline.produce([
      ...[1, 2, 3, 4].map((n) => orderMessage(`ok-${run}-${n}`, { currency: 'EUR', customerId: `c-${n}` })),
      orderMessage(`transient-${run}`, { simulate: { transientFailures: 2 } }),
      orderMessage(`exhausted-${run}`, { simulate: { transientFailures: 99 } }),
      orderMessage(`permanent-${run}`, { simulate: { permanentFailure: true } }),
      { key: Buffer.from(`poison-text-${run}`), value: Buffer.from('this is not JSON') },
      { key: Buffer.from(`poison-null-${run}`), value: null },
    ]);
    await dlqRow(page, `exhausted-${run}`).waitFor({ timeout: 20_000 });
    await page
      .locator('#topic-retry tbody tr', { hasText: `transient-${run}` })
      .first()
      .waitFor();
    await page.locator('#topic-orders tbody tr', { hasText: `ok-${run}-1` }).waitFor();

    // Assess
    await expect.poll(() => page.locator('#group-stats tr').count()).toBe(2);
    await expect
      .poll(() => page.locator('#topic-stats tr').nth(1).locator('td').nth(3).textContent(), {
        timeout: 10_000,
      })
      .not.toBe('0');
    expect(cspViolations).toEqual([]);
    if (updateScreenshots) {
      // Let the new-row highlight finish, so the screenshot shows the page at rest.
      await page.waitForFunction(() => document.getAnimations().length === 0);
      await page.screenshot({ path: screenshotFile, fullPage: true });
      expect((await stat(screenshotFile)).mtimeMs).toBeGreaterThanOrEqual(startedAt);
      expect((await readFile(screenshotFile)).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    }
  });
});
