/**
 * The default of `PROCESSING_CONCURRENCY`: records of different keys processed at once by a batch. The
 * configuration and the batch both fall back to it.
 */
export const defaultProcessingConcurrency = 16;
