/** The combined sweep report: each cell's line read off its report.json, and the page drawn from them. */
import { describe, expect, it } from 'vitest';
import { combineSweep } from '../../../src/pipeline/sweep/combineSweep.js';
import { renderSweepHtml } from '../../../src/pipeline/sweep/sweepHtml.js';
import type { SweepCell } from '../../../src/pipeline/sweep/sweepSpec.js';
import { gaussReport } from '../../support/reportFixtures.js';

const cell = (id: string, overlay: string): SweepCell =>
  ({ id, overlay, target: 'gauss', config: gaussReport().config }) as SweepCell;

describe('combineSweep', () => {
  it('keeps each method, its paired comparison with fine-tuning and the source CMKD gain from the cell report', () => {
    const r = gaussReport();
    const s = combineSweep('grid.json', 'quick', [cell('base--gauss--0123456789', 'base')], [r]).cells[0]!;
    const kap = r.target.comparisons.find((c) => c.method === 'kap' && c.baseline === 'finetune')!;
    const gain = r.source.comparisons.find((c) => c.method === 'studentKd' && c.baseline === 'studentNoKd')!;
    expect(s.methods['kap']).toEqual({
      mean: r.target.methods['kap']!.mean,
      std: r.target.methods['kap']!.std,
      perSeed: r.target.methods['kap']!.perSeed,
    });
    expect(s.vsFinetune['kap']).toEqual({
      nSeeds: kap.nSeeds,
      meanDiff: kap.meanDiff,
      ci95: kap.ci95,
      p: kap.p,
      pHolm: kap.pHolm,
    });
    expect(s.source.cmkdGain).toEqual({ nSeeds: gain.nSeeds, meanDiff: gain.meanDiff, ci95: gain.ci95, p: gain.p });
    expect(s.report).toBe('cells/base--gauss--0123456789/report.html');
    expect(JSON.stringify(s)).not.toMatch(/timings|latency/i);
  });

  it('lists overlays and targets once each, in grid order', () => {
    const r = gaussReport();
    const c = combineSweep('grid.json', 'quick', [cell('a--gauss--1', 'a'), cell('b--gauss--2', 'b')], [r, r]);
    expect([c.overlays, c.targets, c.cells.map((x) => x.id)]).toEqual([
      ['a', 'b'],
      ['gauss'],
      ['a--gauss--1', 'b--gauss--2'],
    ]);
  });
});

describe('renderSweepHtml', () => {
  it('links every cell’s report, plots each target once and loads nothing', async () => {
    const r = gaussReport();
    const html = await renderSweepHtml(
      combineSweep('grid.json', 'quick', [cell('a--gauss--1', 'a'), cell('b--gauss--2', 'b')], [r, r]),
    );
    expect(html).toContain('<a href="cells/a--gauss--1/report.html">');
    expect(html).toContain('<a href="cells/b--gauss--2/report.html">');
    expect(html.match(/<figure class="chart" id="sweep-target-/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|(?:src|href)="(?!data:|#|cells\/)|undefined|NaN/);
  });
});
