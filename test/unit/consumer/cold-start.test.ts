import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

// In a fresh process: the real main handler, an all-success batch (the MSK fixture's one record), then
// which of kafkajs and the Secrets Manager client the process has loaded. Both are CommonJS packages,
// so a load shows in the CommonJS cache. Loading kafkajs at the end proves the check can see a load.
const script = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const loaded = (name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/'));
const { handler } = await import(process.argv[1]);
const event = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const context = { functionName: 'mainConsumer', awsRequestId: 'r', invokedFunctionArn: 'arn', memoryLimitInMB: '512',
  functionVersion: '$LATEST', getRemainingTimeInMillis: () => 60_000 };
const summary = await handler(event, context);
const before = { kafkajs: loaded('kafkajs'), secretsManager: loaded('@aws-sdk/client-secrets-manager') };
await import('kafkajs');
process.stdout.write(JSON.stringify({ summary, before, kafkajsAfterImport: loaded('kafkajs') }));
process.exit(0);
`;

describe('a cold consumer', () => {
  it('processes an all-success batch without loading kafkajs or the Secrets Manager client', async () => {
    // Prepare: SASL with a secret, on a port nothing listens on: any connection or secret read would fail
    const env = {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      KAFKA_BROKERS: '127.0.0.1:1',
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:never-read',
      AWS_REGION: 'eu-west-1',
    };
    const handler = pathToFileURL(path.join(repoRoot, 'functions/main-consumer/handler.ts')).href;
    const event = path.join(repoRoot, 'test/events/msk.json');

    // Act
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, handler, event],
      { cwd: repoRoot, env, timeout: 60_000 },
    );

    // Assess
    const result = JSON.parse(stdout) as {
      summary: { processed: number; published: number };
      before: { kafkajs: boolean; secretsManager: boolean };
      kafkajsAfterImport: boolean;
    };
    expect(result.summary).toMatchObject({ processed: 1, published: 0 });
    expect(result.before).toEqual({ kafkajs: false, secretsManager: false });
    expect(result.kafkajsAfterImport).toBe(true);
  }, 60_000);

  it.each(['main-consumer', 'retry-consumer'])(
    'bundles %s with the AWS SDK behind a dynamic import only',
    async (name) => {
      // Prepare: the serverless.yml esbuild settings that matter here
      const entry = path.join(repoRoot, `functions/${name}/handler.ts`);

      // Act
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        external: ['@aws-sdk/*'],
        write: false,
        logLevel: 'error',
      });
      const code = result.outputFiles[0]?.text ?? '';

      // Assess: a static import of an external is hoisted and paid at every cold start
      expect(code).toMatch(/import\("@aws-sdk\/client-secrets-manager"\)/);
      expect(code).not.toMatch(/from\s*"@aws-sdk\//);
      expect(code).not.toMatch(/import\s*"@aws-sdk\//);
    },
    30_000,
  );
});
