/**
 * `kapri bench --browser` through the compiled CLI: the int8 kernel rows measured in Chromium and
 * written in the bench JSON contract, with the browser and its version recorded and the relaxed
 * path side by side with the baseline one. Checks the contract only, never a timing. Needs
 * Chromium (skipped without it unless KAPRI_REQUIRE_BROWSER=1); the missing-Chromium error runs always.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report.js';
import { RELAXED_IMPL } from '../../bench/kernelsInt8Relaxed.js';
import { haveChromium, requireChromiumIfAsked } from '../support/chromium.js';
import { CLI, ROOT } from '../support/cli.js';

requireChromiumIfAsked('the browser bench test');

const dir = mkdtempSync(join(tmpdir(), 'kapri-bench-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SUMMARY_KEYS = [
  'conv2dInt8VsTfjsF32',
  'rooflineFraction',
  'threadScaling',
  'projectionF32VsTfjs',
  'trainStepWasmVsCpu',
  'relaxedVsBaseline',
  'validity',
];

describe('kapri bench --browser', () => {
  it('names the missing browser and the fix when Chromium is not there', () => {
    const r = spawnSync(process.execPath, [CLI, 'bench', '--browser', '--quick'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, KAPRI_CHROMIUM: join(dir, 'no-chromium') },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/needs Chromium at .*no-chromium.*apt-get install -y chromium/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!haveChromium)(
    'writes the bench JSON contract measured in Chromium, relaxed and baseline rows side by side',
    () => {
      const file = join(dir, 'bench.json');
      const r = spawnSync(process.execPath, [CLI, 'bench', '--browser', '--quick', '--json', file], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 280_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
      expect(report.version).toBe(1);
      expect(report.quick).toBe(true);
      expect(report.machine.browser).toMatch(/^Chromium \d+\.\d+/);
      for (const c of report.cases) {
        expect(Object.keys(c).sort()).toEqual(['gops', 'impl', 'msMedian', 'op', 'shape']);
        expect(Number.isFinite(c.msMedian) && c.msMedian >= 0).toBe(true);
        expect(Number.isFinite(c.gops) && c.gops >= 0).toBe(true);
      }
      for (const k of SUMMARY_KEYS) expect(report.summary).toHaveProperty(k);
      expect(report.roofline.int8Gops).toBeGreaterThan(0);
      expect(report.roofline.f32Gflops).toBeNull();
      // every conv and GEMM shape has a baseline row and a relaxed row (Chromium's probe passes)
      const rows = report.cases.filter((c) => c.op !== 'qs8_roofline');
      const shapes = new Set(rows.map((c) => `${c.op} ${c.shape}`));
      expect(shapes.size).toBeGreaterThanOrEqual(6);
      for (const s of shapes) {
        const impls = rows.filter((c) => `${c.op} ${c.shape}` === s).map((c) => c.impl);
        expect(impls.sort()).toEqual(['kapri-int8-1t', RELAXED_IMPL].sort());
      }
      expect(report.summary.relaxedVsBaseline).toBeGreaterThan(0);
      expect(report.notes.join('\n')).not.toMatch(/FAULT/);
      // what only Node measures is null, with the reason in the notes
      expect(report.summary.conv2dInt8VsTfjsF32).toBeNull();
      expect(report.science).toBeNull();
      expect(report.notes.join('\n')).toMatch(/tfjs-wasm.*not run in the browser bench/);
    },
    300_000,
  );
});
