import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const contractDir = path.resolve(import.meta.dirname, '../../../shared/contract');
const files = readdirSync(contractDir).filter((name) => name.endsWith('.ts'));

// The browser bundle imports the contract module as it is: it must not reach Node or the server code.
describe('the contract module', () => {
  it.each(files)('%s imports only other contract files', (name) => {
    // Prepare
    const source = readFileSync(path.join(contractDir, name), 'utf8');

    // Act
    const imports = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1] ?? '');

    // Assess
    expect(imports.filter((specifier) => !/^\.\/[\w-]+\.js$/.test(specifier))).toEqual([]);
  });

  it.each(files)('%s uses no Node globals', (name) => {
    // Prepare
    const source = readFileSync(path.join(contractDir, name), 'utf8');

    // Act
    const nodeGlobals = source.match(/\b(Buffer|process|require|__dirname)\b/g) ?? [];

    // Assess
    expect(nodeGlobals).toEqual([]);
  });
});
