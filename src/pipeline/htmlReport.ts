/**
 * The self-contained report.html: SVG plots (training curves, the target metric by method with error
 * bars, the learning curve over labelled-set size, metric against latency and memory per device),
 * sample previews as an inline PNG, and a table of every number in report.json. No network.
 */
import type { Report } from './report.js';
import { barChart, lineChart, scatterChart, type Series } from './svgPlots.js';

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const base64 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
};

/** Every leaf number of an object, by path. */
const leaves = (x: unknown, path = ''): [string, number | string | boolean][] => {
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return [[path, x]];
  if (Array.isArray(x))
    return x.length > 40 ? [[path, `[${x.length} values]`]] : x.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [];
};

const fmt = (v: number | string | boolean): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(5)) : String(v);

/** The fused superior + weak deployment: every plan measured whole, and each device's plan. */
const multiModalSection = (r: Report): string => {
  const m = r.multiModal;
  if (!m) return '';
  const cell = (v: number | string) => `<td>${esc(typeof v === 'number' ? fmt(v) : v)}</td>`;
  const plans = m.plans
    .map(
      (p) =>
        `<tr>${[p.choice.superior, p.choice.weak, p.bytes, p.latencyMs, p.measuredLatencyMs, p.predictedVal, p.val, p.test].map(cell).join('')}</tr>`,
    )
    .join('');
  const devices = m.deployment
    .map(
      (d) =>
        `<tr>${[d.device, `${d.plan['superior']} / ${d.plan['weak']}`, d.memoryBytes, d.latencyMs, d.metric, d.fits ? 'yes' : 'no'].map(cell).join('')}</tr>`,
    )
    .join('');
  return `<h2>Multi-modal deployment (source ${esc(m.metric)}: ${esc(m.modalities.superior)} + ${esc(m.modalities.weak)})</h2>
<p>A skipped encoder's feature comes from the other modality through a ridge alignment (validation R²: weak → superior ${fmt(m.alignmentR2.weakToSuperior)}, superior → weak ${fmt(m.alignmentR2.superiorToWeak)}). The governor re-plans from a frontier of ${m.frontierSize} plans in ${fmt(m.governorUpdateUs)} µs (median).</p>
<div class="plots">${scatterChart(
    `Fused plans: source test ${m.metric} against latency (this machine)`,
    'latency (ms)',
    m.metric,
    m.plans.map((p) => ({ label: `${p.choice.superior}/${p.choice.weak}`, x: p.measuredLatencyMs, y: p.test })),
  )}
${scatterChart(
  `Fused plans: source test ${m.metric} against memory`,
  'memory (bytes)',
  m.metric,
  m.plans.map((p) => ({ label: `${p.choice.superior}/${p.choice.weak}`, x: p.bytes, y: p.test })),
)}</div>
<table><tr><td>superior</td><td>weak</td><td>bytes</td><td>parts' latency (ms, here)</td><td>measured plan latency (ms, here)</td><td>predicted val</td><td>val</td><td>test</td></tr>${plans}</table>
<p></p><table><tr><td>device</td><td>plan (superior / weak)</td><td>bytes</td><td>latency on the device (ms)</td><td>test ${esc(m.metric)}</td><td>fits</td></tr>${devices}</table>`;
};

const num = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

/** The methods side by side, each against fine-tuning paired over seeds (docs/methods.md §6), and the prior's learning. */
const methodsSection = (r: Report): string => {
  const vs = (m: string, b: string) => r.target.comparisons.find((c) => c.method === m && c.baseline === b);
  const rows = Object.entries(r.target.methods)
    .map(([name, m]) => {
      const c = vs(name, 'finetune');
      const cells = [
        name,
        `${num(m.mean)} ± ${num(m.std)}`,
        num(r.target.validation[name]?.mean),
        r.target.chosen[name] ? String(r.target.chosen[name]!.strength) : '–',
        c ? `${num(c.meanDiff)} [${num(c.ci95?.[0])}, ${num(c.ci95?.[1])}]` : '–',
        c ? num(c.pHolm) : '–',
        c ? num(c.wilcoxonP) : '–',
      ];
      return `<tr>${cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`;
    })
    .join('');
  const k = r.priors.kap;
  const src = r.source.comparisons[0];
  return `<h2>Did knowledge as priors help? (target ${esc(r.target.metric)}, test split, ${r.seeds.length} seeds)</h2>
<table><tr><td>method</td><td>test mean ± std</td><td>validation mean</td><td>strength λ (chosen on validation)</td><td>paired difference to finetune [95% interval]</td><td>one-sided p (Holm)</td><td>Wilcoxon p</td></tr>${rows}</table>
<p>The KaP prior: spread of the learned strengths (90th / 10th percentile) ${num(k.phiSpread, 2)}, outer loss ${num(k.outerLossFirst, 4)} (first quarter of the meta steps) → ${num(k.outerLossLast, 4)} (last quarter), median meta-gradient norm ${k.metaGradNorm.toExponential(2)}.
Source: distilled student against the student trained alone ${src ? `${num(src.meanDiff)} [${num(src.ci95?.[0])}, ${num(src.ci95?.[1])}], p ${num(src.p)}` : '–'}.</p>`;
};

export const renderHtmlReport = (r: Report, preview: Uint8Array | null): string => {
  const curveSeries = (curves: Record<string, { step: number; loss: number }[]>): Series[] =>
    Object.entries(curves).map(([name, pts]) => ({
      name,
      points: pts.map((p) => [p.step, p.loss] as [number, number]),
    }));
  const methods = Object.entries(r.target.methods);
  const plots = [
    lineChart('Source training loss', 'step', 'loss', curveSeries(r.curves.source)),
    lineChart('Target training loss (first seed)', 'step', 'loss', curveSeries(r.curves.target)),
    barChart(
      `Target ${r.target.metric} by method (mean ± std over ${r.seeds.length} seed(s))`,
      r.target.metric,
      methods.map(([name, m]) => ({ name, mean: m.mean, err: m.std })),
    ),
    lineChart(
      `Learning curve: target ${r.target.metric} by labelled-set size`,
      'labelled samples',
      r.target.metric,
      Object.entries(r.learningCurve.methods).map(([name, ys]) => ({
        name,
        points: r.learningCurve.sizes.map((s, i) => [s, ys[i]!] as [number, number]),
      })),
    ),
    scatterChart(
      `${r.target.metric} against latency per device`,
      'latency (ms)',
      r.target.metric,
      r.deployment.map((d) => ({
        label: `${d.device}${d.fits ? '' : ' (does not fit)'}`,
        x: d.latencyMs,
        y: d.metric,
      })),
    ),
    scatterChart(
      `${r.target.metric} against memory per device`,
      'memory (bytes)',
      r.target.metric,
      r.deployment.map((d) => ({ label: d.device, x: d.memoryBytes, y: d.metric })),
    ),
    ...(r.gammaSweep?.length
      ? [
          lineChart(
            `Modality Focusing Hypothesis: KD gain on the source against γ (${r.seeds.length} seed(s))`,
            'γ (modality-general share)',
            `${r.source.metric} gain`,
            [
              {
                name: 'CMKD − no KD',
                points: r.gammaSweep.map((g) => [g.gamma, g.kdGain.meanDiff] as [number, number]),
              },
            ],
          ),
        ]
      : []),
    ...(r.curves.kapMeta.length
      ? [
          lineChart('KaP meta-learning: outer loss', 'step', 'L_meta', [
            { name: 'outer loss', points: r.curves.kapMeta.map((v, i) => [i + 1, v] as [number, number]) },
          ]),
        ]
      : []),
  ];
  const rows = leaves({
    ...r,
    curves: undefined,
    multiModal: r.multiModal ? { ...r.multiModal, plans: undefined } : undefined,
  })
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(fmt(v))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kapri report: ${esc(r.scenario)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;max-width:1120px}h1{font-size:20px}.plots{display:flex;flex-wrap:wrap;gap:12px}
table{border-collapse:collapse;font-size:12px}td{border:1px solid #ddd;padding:2px 6px}td:first-child{font-family:monospace}</style></head>
<body>
<h1>kapri report: ${esc(r.scenario)} (${esc(r.preset)} preset, seeds ${r.seeds.join(', ')})</h1>
<p>Source (${esc(r.source.metric)}, higher is ${r.source.higherIsBetter ? 'better' : 'worse'}): teacher ${fmt(r.source.teacher)}, student without KD ${fmt(r.source.studentNoKd)}, distilled student ${fmt(r.source.studentKd)}.
Target with ${r.target.labelled} labels: ${methods.map(([n, m]) => `${esc(n)} ${fmt(m.mean)} ± ${fmt(m.std)}`).join(', ')}.
Compression: float ${r.compression.float.bytes} B → int8 ${r.compression.int8.bytes} B (${fmt(r.compression.int8.metric)})${r.compression.mixed ? `, mixed 8/4 ${r.compression.mixed.bytes} B (${fmt(r.compression.mixed.metric)})` : ''}${r.compression.pruned ? `; ${Math.round(r.compression.pruned.sparsity * 100)}% of the prunable channels removed and fine-tuned: int8 ${r.compression.pruned.int8.bytes} B (${fmt(r.compression.pruned.int8.metric)}), mixed 8/4 ${r.compression.pruned.mixed.bytes} B (${fmt(r.compression.pruned.mixed.metric)})` : ''}. Latency measured on ${esc(r.latencyMeasuredOn)}.</p>
${methodsSection(r)}
<div class="plots">${plots.join('\n')}</div>
${multiModalSection(r)}
${preview ? `<h2>Samples (superior | weak)</h2><img alt="source samples" src="data:image/png;base64,${base64(preview)}">` : ''}
<h2>Every number in report.json</h2><table>${rows}</table>
<p>Notes: ${r.notes.map(esc).join('; ')}</p>
</body></html>
`;
};
