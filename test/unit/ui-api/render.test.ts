import { describe, expect, it } from 'vitest';
import { hexDump, renderBytes, toMessageView } from '../../../shared/operator/render.js';
import { T0, topics } from '../helpers/records.js';
import { dlqRecord } from './fixtures.js';

describe('renderBytes', () => {
  it('pretty-prints a JSON object', () => {
    // Act
    const rendered = renderBytes(Buffer.from('{"orderId":"o-1","amount":2}'), 1024);

    // Assess
    expect(rendered).toEqual({
      encoding: 'json',
      text: '{\n  "orderId": "o-1",\n  "amount": 2\n}',
      bytes: 28,
      truncated: false,
    });
  });

  it('shows text that is not JSON as text, markup included verbatim', () => {
    // Act
    const rendered = renderBytes(Buffer.from('<img src=x onerror=alert(1)>'), 1024);

    // Assess
    expect(rendered.encoding).toBe('text');
    expect(rendered.text).toBe('<img src=x onerror=alert(1)>');
  });

  it('shows invalid UTF-8 and control characters as hex', () => {
    // Act
    const binary = renderBytes(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 1024);
    const control = renderBytes(Buffer.from('a\u0000b'), 1024);

    // Assess
    expect(binary).toEqual({ encoding: 'hex', text: 'ff fe 00 41', bytes: 4, truncated: false });
    expect(control.encoding).toBe('hex');
  });

  it('cuts a long value and says so', () => {
    // Act
    const rendered = renderBytes(Buffer.from('x'.repeat(100)), 10);

    // Assess
    expect(rendered).toEqual({ encoding: 'text', text: 'x'.repeat(10), bytes: 100, truncated: true });
  });

  it('renders a null value as null', () => {
    // Act & Assess
    expect(renderBytes(null, 10)).toEqual({ encoding: 'null', text: '', bytes: 0, truncated: false });
  });

  it('dumps hex 16 bytes a line', () => {
    // Act & Assess
    expect(hexDump(Buffer.alloc(17, 0xab)).split('\n')).toEqual([Array(16).fill('ab').join(' '), 'ab']);
  });
});

describe('toMessageView', () => {
  it('decodes the failure headers and keeps user headers apart', () => {
    // Prepare
    const record = dlqRecord(7, { redrive: { count: 1, at: T0, from: 'orders.dlq:0:3' } });
    const withUserHeader = { ...record, headers: { ...record.headers, 'trace-id': Buffer.from('t-1') } };

    // Act
    const view = toMessageView(withUserHeader, 1024);

    // Assess
    expect(view.failure).toMatchObject({
      attempt: 1,
      errorKind: 'permanent',
      errorClass: 'PermanentProcessingError',
      errorMessage: 'order o-7 is rejected',
      origin: `${topics.orders}:0:7`,
      reason: 'permanent-failure',
      redrive: { count: 1, at: T0, from: 'orders.dlq:0:3' },
    });
    expect(view.headers).toEqual([
      { name: 'trace-id', value: { encoding: 'text', text: 't-1', bytes: 3, truncated: false } },
    ]);
    expect(view.key.text).toBe('o-7');
  });
});
