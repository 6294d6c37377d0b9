import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BatchSummary } from '../domain/batch-summary.js';

/** EMF metrics for one handler; the namespace comes from POWERTOOLS_METRICS_NAMESPACE. */
export const createMetrics = (): Metrics =>
  new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OrdersDlq',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'orders-dlq',
  });

export const MetricName = {
  processed: 'OrdersProcessed',
  retried: 'OrdersRetried',
  deadLettered: 'OrdersDeadLettered',
  deferred: 'OrdersDeferred',
} as const;

/**
 * Records a batch's outcomes. The totals carry only the service dimension, which the dead-letter alarm
 * watches; the per-reason count goes out as separate metrics with a `reason` dimension.
 */
export const recordBatchMetrics = (metrics: Metrics, summary: BatchSummary): void => {
  metrics.addMetric(MetricName.processed, MetricUnit.Count, summary.processed);
  metrics.addMetric(MetricName.retried, MetricUnit.Count, summary.retried);
  metrics.addMetric(MetricName.deadLettered, MetricUnit.Count, summary.deadLettered);
  if (summary.deferred > 0) metrics.addMetric(MetricName.deferred, MetricUnit.Count, summary.deferred);
  for (const [reason, count] of Object.entries(summary.deadLetteredByReason)) {
    const byReason = metrics.singleMetric();
    byReason.addDimension('reason', reason);
    byReason.addMetric(MetricName.deadLettered, MetricUnit.Count, count);
  }
};
