/**
 * A dot plot: one row per name, each seed's value as an open circle, the mean as a black tick and,
 * when there is one, the 95% interval as a line through it; optionally a dashed line at zero (for
 * differences, where the reader asks "which side of zero?"). No bars: a bar from zero would hide
 * differences of a few thousandths, which is what these comparisons are about.
 */
import type { TopLevelSpec } from 'vega-lite';
import { paddedDomain, type ValidRange } from './valueRange.js';
import { vegaLiteSvg } from './vegaSvg.js';

export interface DotRow {
  readonly name: string;
  readonly values: readonly number[];
  readonly mean: number;
  readonly ci95?: readonly [number, number] | null;
}

export interface DotChart {
  readonly title: string;
  readonly xTitle: string;
  readonly rows: readonly DotRow[];
  /** The range the plotted quantity can take: the axis never leaves it. */
  readonly valid: ValidRange;
  readonly zeroLine?: boolean;
  readonly width?: number;
}

/** The chart's SVG. */
export const dotChartSvg = (c: DotChart): Promise<string> => {
  const names = c.rows.map((r) => r.name);
  const all = c.rows.flatMap((r) => [...r.values, r.mean, ...(r.ci95 ?? [])]);
  const domain = paddedDomain(c.zeroLine ? [...all, 0] : all, c.valid);
  // Every layer carries the title: layers with differing titles would drop it.
  const x = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: c.xTitle,
    scale: { domain, nice: false, zero: false },
  });
  const y = { field: 'name', type: 'nominal' as const, sort: names, title: null, axis: { labelLimit: 200 } };
  const spec: TopLevelSpec = {
    title: c.title,
    width: c.width ?? 520,
    height: { step: 24 },
    layer: [
      ...(c.zeroLine
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule' as const, color: '#888', strokeDash: [4, 3] },
              encoding: { x: x('zero') },
            },
          ]
        : []),
      {
        data: { values: c.rows.filter((r) => r.ci95).map((r) => ({ name: r.name, lo: r.ci95![0], hi: r.ci95![1] })) },
        mark: { type: 'rule' as const, color: '#222', strokeWidth: 1.5 },
        encoding: { y, x: x('lo'), x2: { field: 'hi' } },
      },
      {
        data: { values: c.rows.flatMap((r) => r.values.map((v) => ({ name: r.name, value: v }))) },
        mark: { type: 'point' as const, color: '#4c78a8', size: 40, opacity: 0.9 },
        encoding: { y, x: x('value') },
      },
      {
        data: { values: c.rows.map((r) => ({ name: r.name, mean: r.mean })) },
        mark: { type: 'tick' as const, orient: 'vertical' as const, color: '#000', thickness: 2.5, size: 16 },
        encoding: { y, x: x('mean') },
      },
    ],
  } as TopLevelSpec;
  return vegaLiteSvg(spec);
};
