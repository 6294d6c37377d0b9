import { describe, expect, it } from 'vitest';
import { firstVersion, isAtLeast, parseJavaMajor } from '../../../../../infra/local/preflight/versions.js';

describe('parseJavaMajor', () => {
  it.each([
    { output: 'openjdk version "17.0.15" 2025-04-15', major: 17 },
    { output: 'openjdk version "21" 2023-09-19', major: 21 },
    { output: 'java version "1.8.0_401"', major: 8 },
    { output: 'bash: java: command not found', major: undefined },
  ])('reads $major from $output', ({ output, major }) => {
    // Act
    const parsed = parseJavaMajor(output);

    // Assess
    expect(parsed).toBe(major);
  });
});

describe('firstVersion', () => {
  it('takes the first dotted number', () => {
    // Act
    const version = firstVersion('Terraform v1.11.4\non linux_amd64');

    // Assess
    expect(version).toBe('1.11.4');
  });
});

describe('isAtLeast', () => {
  it.each([
    { version: '1.11.4', min: '1.11.0', expected: true },
    { version: '1.9.8', min: '1.11.0', expected: false },
    { version: '20.19', min: '20.19.0', expected: true },
    { version: '20.18.3', min: '20.19', expected: false },
    { version: '17', min: '17', expected: true },
  ])('$version >= $min is $expected', ({ version, min, expected }) => {
    // Act
    const result = isAtLeast(version, min);

    // Assess
    expect(result).toBe(expected);
  });
});
