import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/contract/views.js';
import {
  describeRedrive,
  mergeNewest,
  parseHeaderLines,
  parseItems,
  preview,
} from '../../../ui/src/view-model.js';

const view = (
  offset: number,
  text = '{"a":1}',
  encoding: MessageView['value']['encoding'] = 'json',
): MessageView => ({
  topic: 'orders.v1',
  partition: 0,
  offset,
  timestamp: 0,
  key: { encoding: 'text', text: 'k', bytes: 1, truncated: false },
  value: { encoding, text, bytes: text.length, truncated: false },
  headers: [],
});

describe('browser view model', () => {
  it('puts new rows first, skips rows already shown and keeps at most the cap', () => {
    // Prepare
    const shown = [view(2), view(1), view(0)];

    // Act
    const merged = mergeNewest(shown, [view(4), view(3), view(2)], 4);

    // Assess
    expect(merged.rows.map((m) => m.offset)).toEqual([4, 3, 2, 1]);
    expect(merged.added.map((m) => m.offset)).toEqual([4, 3]);
    expect(merged.dropped).toEqual(['0:0']);
  });

  it('previews a value on one line, hex marked as such', () => {
    // Act & Assess
    expect(preview(view(0, '{\n  "a": 1\n}'))).toBe('{"a":1}');
    expect(preview(view(0, 'ff 00', 'hex'))).toBe('hex ff 00');
    expect(preview(view(0, 'x'.repeat(300), 'text'), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('parses items and header lines from the form', () => {
    // Act & Assess
    expect(parseItems('sku-1:2, sku-2')).toEqual([
      { sku: 'sku-1', quantity: 2 },
      { sku: 'sku-2', quantity: 1 },
    ]);
    expect(parseItems(' ')).toBeUndefined();
    expect(parseHeaderLines('trace-id: t-1\nbad line\nx:y:z')).toEqual({ 'trace-id': 't-1', x: 'y:z' });
  });

  it('says what a redrive sent, what it left alone and how much of the DLQ it scanned', () => {
    // Act
    const text = describeRedrive({
      runId: 'run-1',
      generation: 1,
      dryRun: false,
      cancelled: false,
      target: 'origin',
      scanned: 7,
      matched: 2,
      sent: 1,
      recovered: 0,
      alreadyRedriven: 1,
      skipped: [],
      planned: [],
    });

    // Assess
    expect(text).toContain('redrove 1');
    expect(text).toContain('already redriven 1');
    expect(text).toContain('scanned the latest 7 DLQ records held (the whole retained DLQ), 2 matching');
  });
});
