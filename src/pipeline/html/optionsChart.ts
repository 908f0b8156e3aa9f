/**
 * The deployment options of the weak modality: test metric against the exported model's size, one
 * colour per option named in the legend (no labels printed over the points), the plan chosen for a
 * device ringed in black.
 */
import type { TopLevelSpec } from 'vega-lite';
import { colorScale } from './palette.js';
import { NON_NEGATIVE, paddedDomain, type ValidRange } from './valueRange.js';
import { vegaLiteSvg } from './vegaSvg.js';

export interface OptionPoint {
  readonly id: string;
  readonly bytes: number;
  readonly metric: number;
  readonly chosen: boolean;
}

/** The chart's SVG: x in kB, y the metric within `valid`. */
export const optionsChartSvg = (
  title: string,
  metric: string,
  points: readonly OptionPoint[],
  valid: ValidRange,
): Promise<string> => {
  const rows = points.map((p) => ({ ...p, kB: p.bytes / 1000 }));
  const x = {
    field: 'kB',
    type: 'quantitative' as const,
    title: 'model size with activations (kB)',
    scale: {
      domain: paddedDomain(
        rows.map((r) => r.kB),
        NON_NEGATIVE,
      ),
      nice: false,
      zero: false,
    },
  };
  const y = {
    field: 'metric',
    type: 'quantitative' as const,
    title: `test ${metric}`,
    scale: {
      domain: paddedDomain(
        rows.map((r) => r.metric),
        valid,
      ),
      nice: false,
      zero: false,
    },
  };
  const spec: TopLevelSpec = {
    title,
    width: 340,
    height: 190,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'point' as const, filled: true, size: 70 },
        encoding: {
          x,
          y,
          color: {
            field: 'id',
            type: 'nominal' as const,
            title: 'option',
            scale: colorScale(points.map((p) => p.id)),
            legend: { labelLimit: 220 },
          },
        },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'point' as const, filled: false, size: 260, color: '#000', strokeWidth: 1.5 },
        encoding: { x, y },
      },
    ],
  } as TopLevelSpec;
  return vegaLiteSvg(spec);
};
