/**
 * `kapri bench --browser` through the compiled CLI: the int8 kernel rows measured in Chromium and
 * written in the bench JSON contract, with the browser and its version recorded, the relaxed path
 * side by side with the baseline one, onnxruntime-web beside each kernel shape and on the whole
 * models against kapri (one and two threads, outputs bit-identical first). Checks the contract only,
 * never a timing. Needs Chromium (skipped without it unless KAPRI_REQUIRE_BROWSER=1); the
 * missing-Chromium error and the bundles' imports are checked always.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report.js';
import { RELAXED_IMPL } from '../../bench/kernelsInt8Relaxed.js';
import { kapriImpl, MODEL_OP, ortImpl } from '../../bench/modelVsOrt.js';
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
  'modelVsOrtWeb',
  'modelVsOrtWebOneThread',
  'modelVsOrtWebPooled',
  'modelVsOrtNode',
  'modelVsOrtNodeOneThread',
  'modelVsOrtNodePooled',
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

  it('bundles a page and an onnxruntime-web worker that import nothing of Node statically', () => {
    for (const f of ['page.js', 'ortWorker.js']) {
      const src = readFileSync(join(ROOT, 'dist', 'bench', 'browser', f), 'utf8');
      // a static import of a Node built-in (kapri's pool keeps its Node worker's source as a string: not an import)
      expect(src, f).not.toMatch(/^import\b[^;]*["']node:/m);
      expect(src, f).not.toMatch(/(?:require|import)\(\s*["']onnxruntime-node["']|from\s*["']onnxruntime-node["']/);
    }
  });

  it.skipIf(!haveChromium)(
    'writes the bench JSON contract measured in Chromium: relaxed and baseline rows side by side, onnxruntime-web beside kapri',
    () => {
      const file = join(dir, 'bench.json');
      const r = spawnSync(process.execPath, [CLI, 'bench', '--browser', '--quick', '--threads', '2', '--json', file], {
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
      // every conv and GEMM shape has a baseline row and a relaxed row (Chromium's probe passes) and
      // onnxruntime-web's rows on one and two threads; each model kapri's and onnxruntime-web's
      const impls = (op: (o: string) => boolean) => {
        const by = new Map<string, string[]>();
        for (const c of report.cases.filter((c) => op(c.op)))
          by.set(`${c.op} ${c.shape}`, [...(by.get(`${c.op} ${c.shape}`) ?? []), c.impl].sort());
        return by;
      };
      const web = [ortImpl('onnxruntime-web', 1), ortImpl('onnxruntime-web', 2)];
      const kernels = impls((op) => op !== 'qs8_roofline' && op !== MODEL_OP);
      expect(kernels.size).toBeGreaterThanOrEqual(6);
      for (const [s, got] of kernels) expect(got, s).toEqual(['kapri-int8-1t', RELAXED_IMPL, ...web].sort());
      const models = impls((op) => op === MODEL_OP);
      expect([...models.keys()]).toEqual([
        `${MODEL_OP} hands student 1x32x32x3`,
        `${MODEL_OP} mobilenet-style 1x96x96x3`,
      ]);
      for (const [s, got] of models) expect(got, s).toEqual([kapriImpl(1), kapriImpl(2), ...web].sort());
      const s = report.summary;
      for (const k of ['relaxedVsBaseline', 'modelVsOrtWeb', 'modelVsOrtWebOneThread', 'modelVsOrtWebPooled'] as const)
        expect(s[k], k).toBeGreaterThan(0);
      expect([s.modelVsOrtNode, s.modelVsOrtNodeOneThread, s.modelVsOrtNodePooled]).toEqual([null, null, null]);
      // no peer's outputs differed from kapri's, and no peer failed to run
      expect(s.validity.measurementFaults.filter((f) => /differ/.test(f))).toEqual([]);
      const notes = report.notes.join('\n');
      expect(notes).not.toMatch(/FAULT|: no rows:|not yet run/);
      expect(notes).toMatch(/onnxruntime-web [\d.]+ on 2 threads: env\.wasm\.numThreads 2 .*1 pthread worker/);
      expect(notes).toMatch(/onnxruntime-node is native.*modelVsOrtNode.*null/);
      // what only Node measures is null, with the reason in the notes
      expect(report.summary.conv2dInt8VsTfjsF32).toBeNull();
      expect(report.science).toBeNull();
      expect(report.notes.join('\n')).toMatch(/tfjs-wasm.*not run in the browser bench/);
    },
    300_000,
  );
});
