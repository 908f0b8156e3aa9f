/**
 * sweep.html: the grid on one page — a table of every cell (each method's mean, the prior against
 * fine-tuning paired over seeds, the source's CMKD gain, a link to the cell's own report) and, per
 * target, one dot plot of each method's per-seed difference to fine-tuning across the overlays.
 * Static SVG like report.html: no script, no network.
 */
import { esc } from '../html/escapeHtml.js';
import { dotChartSvg } from '../html/dotChart.js';
import { figure } from '../html/figure.js';
import { fmtDiff, fmtInterval, fmtMetric, fmtP } from '../html/numberFormat.js';
import { differenceRange } from '../html/valueRange.js';
import { renumberClipIds } from '../html/vegaSvg.js';
import type { SweepCellSummary, SweepReport } from './combineSweep.js';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:16px 24px;max-width:1240px;color:#222}
h1{font-size:19px;margin:0 0 2px}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px;margin:4px 0}th{font-weight:600;text-align:right;border-bottom:2px solid #bbb;padding:2px 8px;vertical-align:bottom}
td{border-bottom:1px solid #e4e4e4;padding:2px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th:first-child,td.name{text-align:left}
figure{margin:4px 0}figcaption{font-size:12px;color:#555;max-width:600px}`;

/** Target methods in the order the cells report them (the first cell's order, then any others). */
const methodNames = (cells: readonly SweepCellSummary[]): string[] => [
  ...new Set(cells.flatMap((c) => Object.keys(c.methods))),
];

const td = (text: string, cls = 'num') => `<td class="${cls}">${esc(text)}</td>`;

const table = (r: SweepReport): string => {
  const names = methodNames(r.cells);
  const priors = names.filter((n) => n !== 'finetune' && n !== 'scratch');
  const head = `<tr><th>overlay</th><th>target</th><th>metric</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}${priors
    .map((n) => `<th>${esc(n)} − finetune<br>(95% interval, Holm p)</th>`)
    .join('')}<th>source: CMKD − alone<br>(95% interval)</th><th>report</th></tr>`;
  const rows = r.cells.map((c) => {
    const means = names.map((n) => td(fmtMetric(c.methods[n]?.mean ?? null)));
    const diffs = priors.map((n) => {
      const d = c.vsFinetune[n];
      return td(d ? `${fmtDiff(d.meanDiff)} ${fmtInterval(d.ci95)} p ${fmtP(d.pHolm)}` : '–');
    });
    const g = c.source.cmkdGain;
    return `<tr>${td(c.overlay, 'name')}${td(c.target, 'name')}${td(c.metric, 'name')}${means.join('')}${diffs.join('')}${td(
      g ? `${fmtDiff(g.meanDiff)} ${fmtInterval(g.ci95)}` : '–',
    )}<td class="name"><a href="${esc(c.report)}">${esc(c.id)}</a></td></tr>`;
  });
  return `<table id="sweep-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
};

/** Per target: every method's per-seed difference to fine-tuning, one row per overlay × method. */
const targetFigure = async (target: string, cells: readonly SweepCellSummary[], k: number): Promise<string> => {
  const metric = cells[0]!.metric;
  const sign = cells[0]!.higherIsBetter ? 1 : -1;
  const rows = cells.flatMap((c) =>
    Object.entries(c.methods)
      .filter(([n]) => n !== 'finetune' && c.methods['finetune'])
      .map(([n, m]) => ({
        name: `${c.overlay} · ${n}`,
        values: m.perSeed.map((v, i) => sign * (v - c.methods['finetune']!.perSeed[i]!)),
        mean: c.vsFinetune[n]?.meanDiff ?? sign * (m.mean - c.methods['finetune']!.mean),
        ci95: c.vsFinetune[n]?.ci95 ?? null,
      })),
  );
  if (rows.length === 0) return '';
  const valid = differenceRange(metric);
  const svg = await dotChartSvg({
    title: `${target}: paired difference to fine-tuning per seed (test ${metric})`,
    xTitle: `Δ ${metric} vs fine-tuning (> 0: better)`,
    rows,
    valid,
    zeroLine: true,
  });
  return figure(
    `sweep-target-${k}`,
    svg,
    'Circles: each seed; black tick: the mean; line: its 95% interval; dashed: no difference.',
    { x: valid },
  );
};

/** The page of a combined sweep report. */
export const renderSweepHtml = async (r: SweepReport): Promise<string> => {
  const figs = await Promise.all(
    r.targets.map((t, k) =>
      targetFigure(
        t,
        r.cells.filter((c) => c.target === t),
        k,
      ),
    ),
  );
  return renumberClipIds(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kapri sweep: ${esc(r.sweep)}</title>
<style>${STYLE}</style></head>
<body>
<h1>kapri sweep: ${esc(r.sweep)}</h1>
<p>${esc(`${r.preset} preset; ${r.overlays.length} overlay${r.overlays.length === 1 ? '' : 's'} × ${r.targets.length} target${r.targets.length === 1 ? '' : 's'} = ${r.cells.length} cells; each cell's methods are paired over its own seeds (docs/methods.md §6).`)}</p>
<h2>Every cell</h2>
${table(r)}
<h2>Knowledge as priors across the grid</h2>
${figs.join('\n')}
</body></html>
`);
};
