import { progress } from './progress.js';

export interface UiFigures {
  readonly refreshP50: number | null;
  readonly refreshP95: number | null;
  readonly pageKb: number | null;
  /** Why the figures are null, when they are. */
  readonly note?: string;
}

interface UiRefreshModule {
  measureUiRefresh(options: { brokers: string; samples: number }): Promise<{ p50: number; p95: number }>;
  measureUiPageKb(): number | Promise<number>;
}

const isUiRefreshModule = (value: unknown): value is UiRefreshModule =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UiRefreshModule).measureUiRefresh === 'function' &&
  typeof (value as UiRefreshModule).measureUiPageKb === 'function';

// A variable specifier: ui-refresh.ts is written separately and may not exist yet, which must not
// break the type check or the rest of the bench.
const uiRefreshModule = './ui-refresh.js';

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** The UI figures from ui-refresh.ts, or nulls with the reason when it is missing or fails. */
export const measureUiFigures = async (options: { brokers: string; samples: number }): Promise<UiFigures> => {
  const empty = (note: string): UiFigures => {
    progress(`ui: ${note}`);
    return { refreshP50: null, refreshP95: null, pageKb: null, note };
  };
  let loaded: unknown;
  try {
    loaded = await import(uiRefreshModule);
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' &&
      firstLine(error).includes('ui-refresh');
    return empty(
      missing
        ? 'test/bench/ui-refresh.ts is not there yet'
        : `ui-refresh.ts failed to load: ${firstLine(error)}`,
    );
  }
  if (!isUiRefreshModule(loaded)) {
    return empty('test/bench/ui-refresh.ts does not export measureUiRefresh and measureUiPageKb');
  }
  try {
    const refresh = await loaded.measureUiRefresh(options);
    const pageKb = await loaded.measureUiPageKb();
    return { refreshP50: refresh.p50, refreshP95: refresh.p95, pageKb };
  } catch (error) {
    return empty(`ui-refresh.ts threw: ${firstLine(error)}`);
  }
};
