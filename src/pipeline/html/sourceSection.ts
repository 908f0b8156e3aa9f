/**
 * The source, where both modalities exist: the teacher of the superior modality, the weak-modality
 * student trained alone and the student distilled from the teacher (CMKD), with the gain of
 * distillation paired over seeds, and on gauss the gain against γ (the Modality Focusing Hypothesis).
 */
import type { PageReport, Report } from '../report.js';

/** A page whose run had a source stage. */
type WithSource = PageReport & Pick<Report, 'source'>;
import { dotChartSvg } from './dotChart.js';
import { esc } from './escapeHtml.js';
import { figure } from './figure.js';
import { lineChartSvg } from './lineChart.js';
import { fmtDiff, fmtInterval, fmtMetric, fmtP, fmtParam } from './numberFormat.js';
import { differenceRange, metricRange } from './valueRange.js';

const MODELS: readonly { key: 'teacher' | 'studentNoKd' | 'studentKd'; label: string; slot: 'superior' | 'weak' }[] = [
  { key: 'teacher', label: 'teacher', slot: 'superior' },
  { key: 'studentNoKd', label: 'student alone', slot: 'weak' },
  { key: 'studentKd', label: 'student + CMKD', slot: 'weak' },
];

const mean = (xs: readonly number[] | undefined): number =>
  xs?.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;

const unique = (xs: readonly string[]): string => [...new Set(xs)].join(', ');

/** The KD gain against γ with its 95% interval as a band. */
const gammaFigure = async (r: WithSource): Promise<string> => {
  if (!r.gammaSweep?.length) return '';
  const valid = differenceRange(r.source.metric);
  const svg = await lineChartSvg({
    title: 'KD gain on the source against γ',
    xTitle: 'γ (share of the decisive features the weak modality sees)',
    yTitle: `Δ ${r.source.metric}, CMKD − alone`,
    series: [
      {
        name: 'CMKD − student alone',
        points: r.gammaSweep.map((g) => ({
          x: g.gamma,
          y: g.kdGain.meanDiff,
          ...(g.kdGain.ci95 ? { lo: g.kdGain.ci95[0], hi: g.kdGain.ci95[1] } : {}),
        })),
      },
    ],
    xValid: [0, 1],
    yValid: valid,
  });
  return figure('gamma-sweep', svg, 'Mean paired gain over seeds; the band is its 95% interval.', {
    x: [0, 1],
    y: valid,
  });
};

/** The section. */
export const sourceSection = async (r: WithSource): Promise<string> => {
  const s = r.source;
  const modality = (slot: 'superior' | 'weak') => r.multiModal?.modalities[slot] ?? slot;
  const steps = (key: string) => mean(s.stepsRun.map((x) => x[key] ?? Number.NaN));
  const rows = MODELS.map(
    (m) =>
      `<tr><td class="name"><b>${esc(m.label)}</b></td><td>${esc(modality(m.slot))}</td><td class="num">${esc(fmtMetric(s[m.key]))}</td><td class="num">${esc(fmtMetric(mean(s.validation[m.key])))}</td><td class="num">${Number.isFinite(steps(m.key)) ? Math.round(steps(m.key)) : '–'}</td></tr>`,
  ).join('');
  const gain = s.comparisons.find((c) => c.method === 'studentKd' && c.baseline === 'studentNoKd');
  const lambdas = unique(s.distill.map((d) => `λ_kd = ${fmtParam(d.lambdaKd)}, λ_feat = ${fmtParam(d.lambdaFeat)}`));
  const valid = metricRange(s.metric);
  const svg = await dotChartSvg({
    title: `Source test ${s.metric} per seed`,
    xTitle: `test ${s.metric}`,
    rows: MODELS.map((m) => ({ name: m.label, values: s.perSeed[m.key] ?? [], mean: s[m.key] })),
    valid,
    width: 420,
  });
  return `<section id="source"><h2>Source: what the teacher taught <small>paired data, both modalities, test split</small></h2>
<p>Distillation (CMKD) against the student trained alone: <b>${esc(fmtDiff(gain?.meanDiff))}</b> ${esc(s.metric)} (95% interval ${esc(fmtInterval(gain?.ci95))}, p ${esc(fmtP(gain?.p))}). Weights chosen on source validation: ${esc(lambdas)}.</p>
<div class="row"><table id="source-table"><thead><tr><th>model</th><th>modality</th><th>test ${esc(s.metric)}<br>mean</th><th>validation<br>${esc(s.metric)} (best)</th><th>steps run<br>(mean)</th></tr></thead><tbody>${rows}</tbody></table>
${figure('source-models', svg, 'Circles: each seed; black tick: the mean over seeds.', { x: valid })}</div>
${await gammaFigure(r)}</section>`;
};
