import { describe, expect, it } from 'vitest';
import { createShutdown } from '../../../../infra/local/shutdown.js';

describe('createShutdown', () => {
  it('runs the cleanups last registered first, and aborts its signal', async () => {
    // Prepare
    const shutdown = createShutdown();
    const order: string[] = [];
    shutdown.onStop('broker', async () => order.push('broker'));
    shutdown.onStop('runners', async () => order.push('runners'));
    shutdown.onStop('ui', async () => order.push('ui'));

    // Act
    const failures = await shutdown.stop();

    // Assess
    expect(order).toEqual(['ui', 'runners', 'broker']);
    expect(failures).toEqual([]);
    expect(shutdown.signal.aborted).toBe(true);
    expect(shutdown.stopping).toBe(true);
  });

  it('runs every cleanup when one fails, and names the failure', async () => {
    // Prepare
    const shutdown = createShutdown();
    const ran: string[] = [];
    shutdown.onStop('broker', async () => ran.push('broker'));
    shutdown.onStop('ui', async () => {
      throw new Error('port busy');
    });

    // Act
    const failures = await shutdown.stop();

    // Assess
    expect(ran).toEqual(['broker']);
    expect(failures).toEqual(['ui: port busy']);
  });

  it('waits for the startup to settle before cleaning up what it registered', async () => {
    // Prepare: a startup step that registers its cleanup only once it notices the abort
    const shutdown = createShutdown();
    const ran: string[] = [];
    const startup = new Promise<void>((_, reject) => {
      shutdown.signal.addEventListener('abort', () => {
        shutdown.onStop('late step', async () => ran.push('late step'));
        reject(new Error('aborted'));
      });
    });

    // Act
    await shutdown.stop(startup);

    // Assess
    expect(ran).toEqual(['late step']);
  });

  it('stops once, however often it is asked', async () => {
    // Prepare
    const shutdown = createShutdown();
    let runs = 0;
    shutdown.onStop('broker', async () => {
      runs += 1;
    });

    // Act
    await Promise.all([shutdown.stop(), shutdown.stop()]);
    await shutdown.stop();

    // Assess
    expect(runs).toBe(1);
  });

  it('gives up waiting for a startup that never settles after the grace period', async () => {
    // Prepare
    const shutdown = createShutdown();
    const ran: string[] = [];
    shutdown.onStop('broker', async () => ran.push('broker'));

    // Act
    await shutdown.stop(new Promise(() => undefined), 10);

    // Assess
    expect(ran).toEqual(['broker']);
  });
});
