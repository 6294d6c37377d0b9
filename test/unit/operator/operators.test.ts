import { describe, expect, it } from 'vitest';
import {
  DefaultOperatorName,
  OperatorTokensError,
  operatorForToken,
  parseOperatorTokens,
  parseTokenStore,
} from '../../../shared/operator/operators.js';

describe('parseOperatorTokens', () => {
  it('reads named tokens and keeps the single legacy token as the default operator', () => {
    // Act
    const tokens = parseOperatorTokens(' alice:token-a , bob:token-b,', 'legacy-token');

    // Assess
    expect(tokens).toEqual([
      { name: 'alice', token: 'token-a' },
      { name: 'bob', token: 'token-b' },
      { name: DefaultOperatorName, token: 'legacy-token' },
    ]);
  });

  it('keeps a token that contains a colon whole', () => {
    // Act
    const tokens = parseOperatorTokens('alice:a:b:c');

    // Assess
    expect(tokens).toEqual([{ name: 'alice', token: 'a:b:c' }]);
  });

  it.each([
    ['an entry without a name', ':token'],
    ['an entry without a colon', 'alice'],
    ['an empty token', 'alice:'],
    ['a name used twice', 'alice:a,alice:b'],
    ['a token shared by two names', 'alice:same,bob:same'],
    ['a name with spaces', 'alice smith:a'],
  ])('refuses %s', (_name, list) => {
    // Act
    const parse = () => parseOperatorTokens(list);

    // Assess
    expect(parse).toThrow(OperatorTokensError);
  });
});

describe('operatorForToken', () => {
  const tokens = parseOperatorTokens('alice:token-a,bob:token-b', 'legacy');

  it('names the operator a token belongs to', () => {
    // Act
    const found = [operatorForToken(tokens, 'token-b'), operatorForToken(tokens, 'legacy')];

    // Assess
    expect(found).toEqual([{ name: 'bob' }, { name: DefaultOperatorName }]);
  });

  it('knows no one for a wrong, empty or prefix token', () => {
    // Act
    const found = ['token-c', '', 'token-'].map((token) => operatorForToken(tokens, token));

    // Assess
    expect(found).toEqual([undefined, undefined, undefined]);
  });
});

describe('parseTokenStore', () => {
  it('reads a stored list as named tokens and a bare stored token as the default operator', () => {
    // Act
    const list = parseTokenStore('alice:a1,bob:b2');
    const legacy = parseTokenStore(' AbC123 \n');

    // Assess
    expect(list.map((entry) => entry.name)).toEqual(['alice', 'bob']);
    expect(legacy).toEqual([{ name: DefaultOperatorName, token: 'AbC123' }]);
  });
});
