import uPlot from 'uplot';

/*
 * Charts with uPlot: canvas drawing, no inline script and no markup from data. uPlot sizes its own
 * elements through the CSSOM (`element.style.width = …`), which a `style-src 'self'` policy allows;
 * its stylesheet is bundled into styles.css, so the CSP needs no change.
 */

const palette = ['#2457c5', '#9a6700', '#b3261e', '#2e7d32', '#6a3ab2'] as const;

/** One line of a chart: its label and a value per x (null: no data for that x). */
export interface ChartSeries {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
}

const toData = (xsMs: readonly number[], series: readonly ChartSeries[]): uPlot.AlignedData => [
  xsMs.map((x) => x / 1000),
  ...series.map((line) => [...line.values]),
];

/** A tiny bar chart of counts per bucket for a table cell: no axes, no legend, no cursor. */
export const sparkline = (counts: readonly number[]): HTMLElement => {
  const holder = document.createElement('span');
  holder.className = 'spark';
  new uPlot(
    {
      width: 120,
      height: 28,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      // Buckets by index: equal widths however the trend's time range came out.
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      // Bars, not a line: a group whose records all fell into one bucket still shows as a mark.
      series: [
        {},
        {
          stroke: palette[0],
          fill: 'rgba(36, 87, 197, 0.35)',
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars?.({ size: [0.9, 8] }),
        },
      ],
    },
    [counts.map((_, index) => index), [...counts]],
    holder,
  );
  return holder;
};

/** A time chart with axes and a legend, redrawn in place by `update`. */
export interface TimeChart {
  readonly element: HTMLElement;
  /** Redraws with new data; `window` (epoch ms) fixes the x axis, e.g. to the last hour. */
  update(
    xsMs: readonly number[],
    series: readonly ChartSeries[],
    window?: { from: number; to: number },
  ): void;
}

export const timeChart = (title: string, labels: readonly string[], width = 560): TimeChart => {
  const element = document.createElement('div');
  element.className = 'chart';
  const plot = new uPlot(
    {
      title,
      width,
      height: 180,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        ...labels.map((label, index) => ({ label, stroke: palette[index % palette.length], width: 1.5 })),
      ],
    },
    [[], ...labels.map(() => [])],
    element,
  );
  return {
    element,
    update: (xsMs, series, window) => {
      plot.setData(toData(xsMs, series), window === undefined);
      if (window !== undefined) plot.setScale('x', { min: window.from / 1000, max: window.to / 1000 });
    },
  };
};
