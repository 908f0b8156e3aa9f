/** Tiny SVG charts for the self-contained report: lines, bars with error bars, scatter. */
const W = 520;
const H = 260;
const M = { l: 56, r: 12, t: 24, b: 40 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'];

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const range = (xs: number[]): [number, number] => {
  const f = xs.filter(Number.isFinite);
  if (f.length === 0) return [0, 1];
  let lo = Math.min(...f);
  let hi = Math.max(...f);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
};

type Body = (sx: (v: number) => number, sy: (v: number) => number) => string;

// `numericX` false: a categorical x axis (bars label themselves), so no numeric x ticks.
const chart = (
  title: string,
  xl: string,
  yl: string,
  x: [number, number],
  y: [number, number],
  body: Body,
  legend: string[] = [],
  numericX = true,
): string => {
  const sx = (v: number) => M.l + ((v - x[0]) / (x[1] - x[0])) * (W - M.l - M.r);
  const sy = (v: number) => H - M.b - ((v - y[0]) / (y[1] - y[0])) * (H - M.t - M.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map((t) => {
      const yv = y[0] + t * (y[1] - y[0]);
      const xv = x[0] + t * (x[1] - x[0]);
      return `<line x1="${M.l}" x2="${W - M.r}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#eee"/><text x="${M.l - 4}" y="${sy(yv) + 4}" font-size="10" text-anchor="end">${+yv.toPrecision(3)}</text>${numericX ? `<text x="${sx(xv)}" y="${H - M.b + 14}" font-size="10" text-anchor="middle">${+xv.toPrecision(3)}</text>` : ''}`;
    })
    .join('');
  const leg = legend
    .map(
      (l, i) =>
        `<rect x="${W - M.r - 130}" y="${M.t + i * 14}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${W - M.r - 116}" y="${M.t + 9 + i * 14}" font-size="11">${esc(l)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><text x="${W / 2}" y="14" font-size="13" text-anchor="middle">${esc(title)}</text>${grid}<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/><line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/><text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${esc(xl)}</text><text x="12" y="${H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yl)}</text>${body(sx, sy)}${leg}</svg>`;
};

export interface Series {
  readonly name: string;
  readonly points: readonly [number, number][];
}

/** Lines, one per series. */
export const lineChart = (title: string, xl: string, yl: string, series: readonly Series[]): string => {
  const all = series.flatMap((s) => s.points);
  return chart(
    title,
    xl,
    yl,
    range(all.map((p) => p[0])),
    range(all.map((p) => p[1])),
    (sx, sy) =>
      series
        .map((s, i) => {
          const c = COLORS[i % COLORS.length];
          const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
          return `<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>${s.points.map((p) => `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${c}"/>`).join('')}`;
        })
        .join(''),
    series.map((s) => s.name),
  );
};

/** Bars with ± error bars. */
export const barChart = (
  title: string,
  yl: string,
  bars: readonly { name: string; mean: number; err: number }[],
): string => {
  const y = range([0, ...bars.map((b) => b.mean + b.err), ...bars.map((b) => b.mean - b.err)]);
  return chart(
    title,
    '',
    yl,
    [0, bars.length],
    y,
    (sx, sy) =>
      bars
        .map((b, i) => {
          const x0 = sx(i + 0.15);
          const x1 = sx(i + 0.85);
          const xm = (x0 + x1) / 2;
          return `<rect x="${x0}" y="${sy(Math.max(b.mean, 0))}" width="${x1 - x0}" height="${Math.abs(sy(0) - sy(b.mean))}" fill="${COLORS[i % COLORS.length]}" opacity="0.8"/><line x1="${xm}" x2="${xm}" y1="${sy(b.mean - b.err)}" y2="${sy(b.mean + b.err)}" stroke="#000"/><line x1="${xm - 5}" x2="${xm + 5}" y1="${sy(b.mean + b.err)}" y2="${sy(b.mean + b.err)}" stroke="#000"/><line x1="${xm - 5}" x2="${xm + 5}" y1="${sy(b.mean - b.err)}" y2="${sy(b.mean - b.err)}" stroke="#000"/><text x="${xm}" y="${H - M.b + 16}" font-size="11" text-anchor="middle">${esc(b.name)}</text>`;
        })
        .join(''),
    [],
    false,
  );
};

/** Labelled points. */
export const scatterChart = (
  title: string,
  xl: string,
  yl: string,
  points: readonly { label: string; x: number; y: number }[],
): string =>
  chart(title, xl, yl, range(points.map((p) => p.x)), range(points.map((p) => p.y)), (sx, sy) =>
    points
      .map((p, i) => {
        // Labels in the right half open leftwards so that they stay inside the plot.
        const left = sx(p.x) > W / 2;
        return `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${COLORS[i % COLORS.length]}"/><text x="${sx(p.x) + (left ? -6 : 6)}" y="${sy(p.y) - 6}" font-size="10"${left ? ' text-anchor="end"' : ''}>${esc(p.label)}</text>`;
      })
      .join(''),
  );
