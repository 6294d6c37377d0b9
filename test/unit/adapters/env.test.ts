import { describe, expect, it } from 'vitest';
import { integer, oneOf, optionalString } from '../../../shared/adapters/env.js';

describe('optionalString', () => {
  it.each([
    { label: 'missing', env: {}, expected: undefined },
    { label: 'empty', env: { NAME: '' }, expected: undefined },
    { label: 'blank', env: { NAME: '   ' }, expected: undefined },
    { label: 'padded', env: { NAME: '  value ' }, expected: 'value' },
  ])('reads a $label variable as $expected', ({ env, expected }) => {
    // Act
    const value = optionalString(env, 'NAME');

    // Assess
    expect(value).toBe(expected);
  });
});

describe('integer', () => {
  it('returns the fallback when the variable is missing', () => {
    // Act
    const value = integer({}, 'N', 7);

    // Assess
    expect(value).toBe(7);
  });

  it('parses a whole number', () => {
    // Act
    const value = integer({ N: ' 250 ' }, 'N', 7);

    // Assess
    expect(value).toBe(250);
  });

  it.each(['abc', '1.5', '-1', '1e3', '0x10'])('rejects %s', (raw) => {
    // Act
    const act = () => integer({ N: raw }, 'N', 7);

    // Assess
    expect(act).toThrow(`Environment variable N must be a whole number, got "${raw}"`);
  });
});

describe('oneOf', () => {
  const allowed = ['plaintext', 'sasl_ssl'] as const;

  it('returns the fallback when the variable is missing', () => {
    // Act
    const value = oneOf({}, 'P', allowed, 'plaintext');

    // Assess
    expect(value).toBe('plaintext');
  });

  it('matches case-insensitively', () => {
    // Act
    const value = oneOf({ P: 'SASL_SSL' }, 'P', allowed, 'plaintext');

    // Assess
    expect(value).toBe('sasl_ssl');
  });

  it('lists the allowed values when the value is not one of them', () => {
    // Act
    const act = () => oneOf({ P: 'ssl' }, 'P', allowed, 'plaintext');

    // Assess
    expect(act).toThrow('Environment variable P must be one of plaintext, sasl_ssl, got "ssl"');
  });
});
