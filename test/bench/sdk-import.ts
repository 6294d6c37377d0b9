import path from 'node:path';
import type { BuiltBundles } from './bundles.js';
import { medianColdImportMs } from './bundles.js';
import { measurePackageUnpack, type PackageUnpack } from './package-unpack.js';

export interface SdkImport {
  /** `@aws-sdk/client-secrets-manager` left external: loaded from node_modules, as from the runtime's copy. */
  readonly externalMs: number;
  /** The same client bundled, tree-shaken and minified with the functions' esbuild settings. */
  readonly bundledMs: number;
  readonly bundledKb: number;
  /**
   * Cold init of each consumer built the other ways: as one file (no splitting, SDK external: the
   * layout before kafkajs got its own chunk), and split with the SDK bundled.
   */
  readonly variants: readonly {
    readonly name: string;
    readonly oneFileMs: number;
    readonly sdkBundledMs: number;
    /** What every cold start pays for the package's size: as built (SDK external), and SDK bundled. */
    readonly unpack: { readonly sdkExternal: PackageUnpack; readonly sdkBundled: PackageUnpack };
  }[];
}

// What a SASL batch does on its first publish: load the client and create it.
const entry = `
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const client = new SecretsManagerClient({ region: 'eu-west-1' });
export { GetSecretValueCommand };
`;

/**
 * Cold import of the Secrets Manager client both ways, median of `runs` fresh processes each: the
 * measurement behind keeping `@aws-sdk/*` external or bundling it (README "Cold start").
 */
export const measureSdkImport = async (
  built: BuiltBundles,
  options: { runs: number },
): Promise<SdkImport> => {
  const external = await built.build('sdk-external', entry, ['@aws-sdk/*']);
  const bundled = await built.build('sdk-bundled', entry, []);
  const { stat } = await import('node:fs/promises');
  const variants = [];
  for (const bundle of built.bundles.filter((candidate) => candidate.name !== 'ui')) {
    const oneFile = await built.buildVariant(bundle, { splitting: false, external: built.settings.external });
    const sdkBundled = await built.buildVariant(bundle, { splitting: true, external: [] });
    const unpackRuns = options.runs * 4;
    variants.push({
      name: bundle.name,
      oneFileMs: await medianColdImportMs(oneFile, options.runs),
      sdkBundledMs: await medianColdImportMs(sdkBundled, options.runs),
      unpack: {
        sdkExternal: await measurePackageUnpack(path.dirname(bundle.outfile), unpackRuns),
        sdkBundled: await measurePackageUnpack(path.dirname(sdkBundled), unpackRuns),
      },
    });
  }
  return {
    externalMs: await medianColdImportMs(external, options.runs),
    bundledMs: await medianColdImportMs(bundled, options.runs),
    bundledKb: (await stat(bundled)).size / 1024,
    variants,
  };
};
