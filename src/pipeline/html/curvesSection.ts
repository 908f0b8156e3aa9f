/**
 * Training curves, train and validation, one panel per loss scale: the CMKD objective (task + KD +
 * alignment, an order of magnitude above a task loss) never shares an axis with task-only losses, and
 * validation metrics get panels of their own on the metric's range.
 */
import type { PageReport } from '../report.js';
import type { CurvePoint } from '../../train/trainLoop.js';
import { figure } from './figure.js';
import { lineChartSvg, type LineSeries } from './lineChart.js';
import { metricRange, NON_NEGATIVE, type ValidRange } from './valueRange.js';

const SOURCE_LABELS: Record<string, string> = {
  teacher: 'teacher',
  studentNoKd: 'student alone',
  studentKd: 'student + CMKD',
};

interface Panel {
  readonly id: string;
  readonly title: string;
  readonly yTitle: string;
  readonly yValid: ValidRange;
  readonly series: LineSeries[];
  readonly colorNames: readonly string[];
}

const series = (
  curves: Record<string, readonly CurvePoint[]>,
  names: readonly string[],
  y: (p: CurvePoint) => number | undefined,
  label: (n: string) => string = (n) => n,
): LineSeries[] =>
  names
    .filter((n) => curves[n]?.some((p) => Number.isFinite(y(p))))
    .map((n) => ({
      name: label(n),
      points: curves[n]!.flatMap((p) => {
        const v = y(p);
        return v !== undefined && Number.isFinite(v) ? [{ x: p.step, y: v }] : [];
      }),
    }));

/** The panels a report has curves for, each on one scale. */
const panels = (r: PageReport): Panel[] => {
  const src = r.curves.source ?? {};
  const srcMetric = r.source?.metric ?? '';
  const tgt = r.curves.target;
  const srcNames = Object.keys(SOURCE_LABELS);
  const srcColors = srcNames.map((n) => SOURCE_LABELS[n]!);
  const tgtNames = Object.keys(r.target.methods);
  const label = (n: string) => SOURCE_LABELS[n] ?? n;
  const loss = (p: CurvePoint) => p.loss;
  const val = (p: CurvePoint) => p.val;
  return [
    {
      id: 'curve-source-task',
      title: 'Source: task loss',
      yTitle: 'training loss',
      yValid: NON_NEGATIVE,
      series: series(src, ['teacher', 'studentNoKd'], loss, label),
      colorNames: srcColors,
    },
    {
      id: 'curve-source-cmkd',
      title: 'Source: CMKD loss (task + KD + alignment)',
      yTitle: 'training loss',
      yValid: NON_NEGATIVE,
      series: series(src, ['studentKd'], loss, label),
      colorNames: srcColors,
    },
    {
      id: 'curve-source-val',
      title: `Source: validation ${srcMetric}`,
      yTitle: `validation ${srcMetric}`,
      yValid: metricRange(srcMetric),
      series: series(src, srcNames, val, label),
      colorNames: srcColors,
    },
    {
      id: 'curve-target-loss',
      title: 'Target: training loss (first seed)',
      yTitle: 'training loss',
      yValid: NON_NEGATIVE,
      series: series(tgt, tgtNames, loss),
      colorNames: tgtNames,
    },
    {
      id: 'curve-target-val',
      title: `Target: validation ${r.target.metric} (first seed)`,
      yTitle: `validation ${r.target.metric}`,
      yValid: metricRange(r.target.metric),
      series: series(tgt, tgtNames, val),
      colorNames: tgtNames,
    },
    {
      id: 'curve-kap-meta',
      title: 'KaP meta-learning: outer loss',
      yTitle: 'outer loss',
      yValid: NON_NEGATIVE,
      series: r.curves.kapMeta?.length
        ? [{ name: 'outer loss', points: r.curves.kapMeta.map((v, i) => ({ x: i + 1, y: v })) }]
        : [],
      colorNames: ['outer loss'],
    },
  ].filter((p) => p.series.length > 0);
};

/** The learning curve over labelled-set sizes, when more than one size ran. */
const learningCurve = async (r: PageReport): Promise<string> => {
  const lc = r.learningCurve;
  if (!lc || lc.sizes.length < 2) return '';
  const valid = metricRange(r.target.metric);
  const svg = await lineChartSvg({
    title: `Target test ${r.target.metric} by labelled-set size (seed ${lc.seed})`,
    xTitle: 'labelled samples',
    yTitle: `test ${r.target.metric}`,
    series: Object.entries(lc.methods).map(([name, ys]) => ({
      name,
      points: lc.sizes.map((x, i) => ({ x, y: ys[i] ?? Number.NaN })),
    })),
    colorNames: Object.keys(r.target.methods),
    xValid: NON_NEGATIVE,
    yValid: valid,
  });
  return figure('learning-curve', svg, '', { x: NON_NEGATIVE, y: valid });
};

/** The section. */
export const curvesSection = async (r: PageReport): Promise<string> => {
  const figs = await Promise.all(
    panels(r).map(async (p) =>
      figure(
        p.id,
        await lineChartSvg({
          title: p.title,
          xTitle: p.id === 'curve-kap-meta' ? 'meta step' : 'training step',
          yTitle: p.yTitle,
          series: p.series,
          colorNames: p.colorNames,
          xValid: NON_NEGATIVE,
          yValid: p.yValid,
        }),
        '',
        { x: NON_NEGATIVE, y: p.yValid },
      ),
    ),
  );
  return `<section id="curves"><h2>Training curves <small>train loss and validation metric; one panel per scale</small></h2>
<div class="grid">${figs.join('\n')}${await learningCurve(r)}</div></section>`;
};
