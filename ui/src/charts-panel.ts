import type { LagResponse, RatesResponse } from '../../shared/contract/operator.js';
import { api } from './api-client.js';
import { type ChartSeries, type TimeChart, timeChart } from './charts.js';
import { bucketTimes } from './console-view.js';
import { byId } from './dom.js';

const hourMs = 3_600_000;
let rates: TimeChart | undefined;
let lag: TimeChart | undefined;

/** Records per minute into the three topics over the last hour, from the topics' own offsets. */
export const refreshRates = async (): Promise<void> => {
  const response = await api<RatesResponse>('/api/charts/rates');
  const names = Object.keys(response.topics);
  if (rates === undefined) {
    rates = timeChart('records per minute into each topic', names);
    byId('rates-chart').replaceChildren(rates.element);
  }
  const length = Math.max(0, ...Object.values(response.topics).map((counts) => counts.length));
  rates.update(
    bucketTimes(response.from, response.bucketMs, length),
    names.map((name) => ({ label: name, values: [...(response.topics[name] ?? [])] })),
  );
  byId('charts-status').textContent = `updated ${new Date().toLocaleTimeString()}`;
};

/** Consumer lag over time: the samples the server has taken, one more taken by this call. */
export const refreshLag = async (): Promise<void> => {
  const { samples } = await api<LagResponse>('/api/charts/lag');
  const groups = [...new Set(samples.map((sample) => sample.groupId))];
  if (lag === undefined || groups.length === 0) {
    lag = timeChart('consumer lag (records)', groups.length === 0 ? ['lag'] : groups);
    byId('lag-chart').replaceChildren(lag.element);
  }
  const times = [...new Set(samples.map((sample) => sample.at))].sort((a, b) => a - b);
  const series: ChartSeries[] = groups.map((groupId) => {
    const byTime = new Map(samples.filter((s) => s.groupId === groupId).map((s) => [s.at, s.lag]));
    return { label: groupId, values: times.map((time) => byTime.get(time) ?? null) };
  });
  const now = Date.now();
  lag.update(times, series, { from: now - hourMs, to: now });
};
