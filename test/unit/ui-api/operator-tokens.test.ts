import { describe, expect, it } from 'vitest';
import { operatorFor, parseOperatorTokens } from '../../../shared/ui-api/operator-tokens.js';

describe('operator tokens', () => {
  it('reads one bare token as the operator named operator', () => {
    // Act
    const operators = parseOperatorTokens(' token-123\n');

    // Assess
    expect(operators).toEqual([{ name: 'operator', token: 'token-123' }]);
  });

  it('reads named tokens from a JSON object and finds the operator of a token', () => {
    // Prepare
    const operators = parseOperatorTokens('{"alice": "token-a", "bob.smith": "token-b"}');

    // Act & Assess
    expect(operatorFor(operators, 'token-b')).toBe('bob.smith');
    expect(operatorFor(operators, 'token-a')).toBe('alice');
    expect(operatorFor(operators, 'token-c')).toBeUndefined();
  });

  it('rejects malformed token lists with a reason', () => {
    // Act & Assess
    expect(() => parseOperatorTokens('')).toThrow(/empty/);
    expect(() => parseOperatorTokens('{"alice": ')).toThrow(/not valid JSON/);
    expect(() => parseOperatorTokens('{}')).toThrow(/no operator/);
    expect(() => parseOperatorTokens('{"al ice": "token-a"}')).toThrow(/operator name/);
    expect(() => parseOperatorTokens('{"alice": 5}')).toThrow(/non-empty string/);
    expect(() => parseOperatorTokens('{"alice": "same", "bob": "same"}')).toThrow(/share/);
  });
});
