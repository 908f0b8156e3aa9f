/** report.html rendered from fixtures in Node: the order of the questions, numbers at one precision, nothing external. */
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/pipeline/htmlReport.js';
import { fmtBytes, fmtDiff, fmtInterval, fmtMetric, fmtMs, fmtP } from '../../src/pipeline/html/numberFormat.js';
import { differenceRange, metricRange, paddedDomain } from '../../src/pipeline/html/valueRange.js';
import type { PageReport } from '../../src/pipeline/report.js';
import { edgeReport, gaussReport } from '../support/reportFixtures.js';

/** A `kapri target` page: a run's report without its source stage, meta-learned prior or learning curve, one prior (l2sp). */
const targetPage = (): PageReport => {
  const {
    source: _s,
    priors: _p,
    learningCurve: _l,
    gammaSweep: _g,
    multiModal: _m,
    scenario: _n,
    ...r
  } = gaussReport();
  const keep = (k: string) => ['scratch', 'finetune', 'l2sp'].includes(k);
  const pick = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).filter(([k]) => keep(k)));
  return {
    ...r,
    kind: 'target',
    dataset: { manifest: 'site-b/target.json' },
    target: {
      ...r.target,
      methods: pick(r.target.methods),
      validation: pick(r.target.validation),
      comparisons: r.target.comparisons.filter((c) => keep(c.method) && keep(c.baseline)),
    },
    curves: { target: pick(r.curves.target) },
  };
};

describe('renderHtmlReport', () => {
  it('puts the methods first, then the source, deployment, curves and the folded configuration', async () => {
    const html = await renderHtmlReport(gaussReport(), null);
    const at = (s: string) => html.indexOf(s);
    const order = [
      'id="methods"',
      'id="paired-differences"',
      'id="source"',
      'id="deployment"',
      'id="curves"',
      'id="raw"',
    ].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/<details><summary>Resolved configuration<\/summary>/);
  });

  it('writes metrics at 3 decimals, never the raw doubles of report.json', async () => {
    const r = gaussReport();
    const html = await renderHtmlReport(r, null);
    expect(html).toContain(`>${r.target.methods['kap']!.mean.toFixed(3)}<`);
    expect(html).not.toMatch(/\d\.\d{5,}</);
  });

  it('is one file that loads nothing and runs no script, the same bytes every time', async () => {
    const a = await renderHtmlReport(edgeReport(), null);
    expect(a).not.toMatch(/<script|(?:src|href)="(?!data:|#)|url\((?!#)|@import/);
    expect(await renderHtmlReport(edgeReport(), null)).toBe(a);
  });

  it('draws a teacherless target without a source section, its headline about the prior it was given', async () => {
    const html = await renderHtmlReport(targetPage(), null);
    expect(html).toContain('<h1>kapri report: target site-b/target.json</h1>');
    expect(html).toContain('Knowledge as priors (<b>l2sp</b>) against fine-tuning');
    for (const part of ['id="methods"', 'id="deployment"', 'id="curves"', 'id="raw"']) expect(html).toContain(part);
    expect(html).not.toMatch(/id="source"|id="curve-source|id="curve-kap-meta"|KaP prior|undefined|NaN/);
  });
});

describe('numbers and ranges of the report', () => {
  it('formats each kind of quantity at its precision and unit', () => {
    expect([fmtMetric(0.36715), fmtMetric(Number.NaN), fmtMetric(null)]).toEqual(['0.367', '–', '–']);
    expect([fmtDiff(0.0042), fmtDiff(-0.0123), fmtDiff(-0.0001), fmtDiff(0)]).toEqual([
      '+0.004',
      '−0.012',
      '0.000',
      '0.000',
    ]);
    expect([fmtInterval([-0.01, 0.018]), fmtInterval(null)]).toEqual(['[−0.010, +0.018]', '–']);
    expect([fmtP(0.0004), fmtP(0.2346), fmtP(null)]).toEqual(['< 0.001', '0.235', '–']);
    expect([fmtBytes(512), fmtBytes(55228), fmtBytes(67108864)]).toEqual(['512 B', '55.2 kB', '67.1 MB']);
    expect([fmtMs(0.167438), fmtMs(8.3719), fmtMs(20)]).toEqual(['0.167 ms', '8.37 ms', '20 ms']);
  });

  it('keeps a domain inside the valid range of its quantity', () => {
    expect(metricRange('auc')).toEqual([0, 1]);
    expect(metricRange('epeMean')).toEqual([0, null]);
    expect(differenceRange('accuracy')).toEqual([-1, 1]);
    expect(paddedDomain([0.95, 1], [0, 1])).toEqual([0.946, 1]);
    expect(paddedDomain([0.01, 0.5], [0, null])[0]).toBe(0);
    const [lo, hi] = paddedDomain([0.3, 0.3], [0, 1]);
    expect(lo < 0.3 && hi > 0.3).toBe(true);
  });
});
