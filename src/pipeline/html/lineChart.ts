/**
 * Lines over a numeric x, one colour per series with the legend to the right of the plot (never on
 * the lines), and optionally a shaded band per point (an interval). Both axes stay inside the valid
 * ranges given: a loss never runs below zero, a metric never past its ceiling.
 */
import type { TopLevelSpec } from 'vega-lite';
import { colorScale } from './palette.js';
import { paddedDomain, type ValidRange } from './valueRange.js';
import { vegaLiteSvg } from './vegaSvg.js';

export interface LinePoint {
  readonly x: number;
  readonly y: number;
  readonly lo?: number;
  readonly hi?: number;
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly LinePoint[];
}

export interface LineChart {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly LineSeries[];
  readonly xValid: ValidRange;
  readonly yValid: ValidRange;
  /** Every name that may appear, in colour order, so that a name keeps its colour from chart to chart. */
  readonly colorNames?: readonly string[];
  readonly width?: number;
  readonly height?: number;
}

/** The chart's SVG. */
export const lineChartSvg = (c: LineChart): Promise<string> => {
  const rows = c.series.flatMap((s) =>
    s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ series: s.name, ...p })),
  );
  const xDomain = paddedDomain(
    rows.map((r) => r.x),
    c.xValid,
  );
  const yDomain = paddedDomain(
    rows.flatMap((r) => [r.y, r.lo ?? r.y, r.hi ?? r.y]),
    c.yValid,
  );
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: c.xTitle,
    scale: { domain: xDomain, nice: false, zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: c.yTitle,
    scale: { domain: yDomain, nice: false, zero: false },
  };
  const names = c.colorNames ?? c.series.map((s) => s.name);
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: colorScale(names),
    // The legend names only the series drawn here, in the shared colours.
    legend: c.series.length > 1 ? { labelLimit: 220, values: c.series.map((s) => s.name) } : null,
  };
  const banded = rows.some((r) => r.lo !== undefined && r.hi !== undefined);
  const spec: TopLevelSpec = {
    title: c.title,
    width: c.width ?? 340,
    height: c.height ?? 170,
    data: { values: rows },
    layer: [
      ...(banded
        ? [
            {
              mark: { type: 'area' as const, opacity: 0.18 },
              encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: { ...color, legend: null } },
            },
          ]
        : []),
      {
        mark: { type: 'line' as const, point: { size: 16 }, strokeWidth: 1.5, clip: true },
        encoding: { x, y, color },
      },
    ],
  } as TopLevelSpec;
  return vegaLiteSvg(spec);
};
