import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readKafkaEventSources, repoRoot } from '../../../infra/local/runner/serverless-functions.js';
import { defaultConsumerGroups } from '../../../shared/ui-api/ui-handler.js';
import { buildUiAssets } from '../../../ui/build.js';
import { uiAssets } from '../../../ui/generated/assets.js';

describe('UI build artefacts', () => {
  it('has a committed asset module that matches a fresh build of ui/src', async () => {
    // Act
    const built = await buildUiAssets();

    // Assess
    expect(Object.keys(uiAssets).sort()).toEqual(built.map((asset) => asset.path).sort());
    for (const asset of built) {
      const committed = uiAssets[asset.path];
      expect(committed?.contentType, asset.path).toBe(asset.contentType);
      const content = gunzipSync(Buffer.from(committed?.gzipBase64 ?? '', 'base64')).toString('utf8');
      expect(content, `${asset.path} is stale: run npm run build:ui`).toBe(asset.content.toString('utf8'));
    }
  });

  it('shows the lag of exactly the consumer groups serverless.yml configures', async () => {
    // Act
    const sources = await readKafkaEventSources(path.join(repoRoot, 'serverless.yml'));

    // Assess
    expect(defaultConsumerGroups.map((group) => group.groupId).sort()).toEqual(
      sources.map((source) => source.consumerGroupId).sort(),
    );
  });

  it('builds a page under 100 KB gzip whose script never writes markup and whose markup has no inline style or script', () => {
    // Prepare
    const text = (name: string) =>
      gunzipSync(Buffer.from(uiAssets[name]?.gzipBase64 ?? '', 'base64')).toString('utf8');
    const gzipBytes = Object.values(uiAssets).reduce(
      (sum, asset) => sum + Buffer.from(asset.gzipBase64, 'base64').byteLength,
      0,
    );

    // Act
    const script = text('/app.js');
    const page = text('/');

    // Assess
    expect(gzipBytes).toBeLessThan(100 * 1024);
    expect(script).not.toMatch(
      /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
    );
    expect(page).not.toMatch(/\sstyle=|\son[a-z]+=|<script>/);
    expect(text('/styles.css')).toContain('.u-legend');
  });
});
