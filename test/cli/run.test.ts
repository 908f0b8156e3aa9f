/** `kapri run` through the compiled CLI: bad input gives one paragraph and no files; a tiny run writes the contract. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { finite } from '../support/finite.js';
import { kapriCli } from '../support/cli.js';

const kapri = (...args: string[]) => kapriCli('run', ...args);
const dir = mkdtempSync(join(tmpdir(), 'kapri-run-'));
const config = (name: string, body: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};
const oneParagraph = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n\n').length).toBe(1);
};

describe('kapri run: bad input', () => {
  it.each([
    [['--preset', 'huge'], /unknown preset 'huge'; presets: quick, default, paper, full/],
    [['--scenario', 'faces'], /'scenario' must be hands \| physio \| actions \| cardio \| gauss, got "faces"/],
    [['--device', 'toaster'], /unknown device 'toaster'; built in: browser-desktop, phone-mid, mcu-class/],
    [['--seeds', 'three'], /--seeds takes an integer ≥ 1, got 'three'/],
    [['--seeds', '0'], /--seeds takes an integer ≥ 1, got '0'/],
    [['--seed', '-1'], /--seed takes an integer ≥ 0, got '-1'/],
    [['--seed', '2.5'], /--seed takes an integer ≥ 0, got '2\.5'/],
    [['--jobs', '0'], /--jobs takes an integer from 1 to 64, got '0'/],
    [['--seed', '1', '--seed', '2'], /--seed is given twice; give it once/],
    [['--scenrio', 'hands'], /unknown option '--scenrio'; did you mean '--scenario'\?/],
    [['--preset', 'defualt'], /unknown preset 'defualt'; did you mean 'default'\?/],
    [['--config', '/nonexistent/c.json'], /cannot read the configuration \/nonexistent\/c\.json/],
    [
      ['--scenario', 'hnads'],
      /'scenario' must be hands \| physio \| actions \| cardio \| gauss, got "hnads"; did you mean 'hands'\?/,
    ],
  ])('%s is refused with a one-paragraph message and a non-zero exit', (args, msg) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = kapri(...args, '--out', out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(msg);
    oneParagraph(r.stderr);
    expect(existsSync(out)).toBe(false);
  });

  it('names the path of a config field with the wrong type', () => {
    const r = kapri('--config', config('types.json', { student: { steps: 'many' } }), '--out', join(dir, 'o1'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/'student\.steps' must be a positive integer \(at most 1000000\), got "many"/);
  });

  it('refuses unknown keys and invalid JSON in a config file', () => {
    expect(kapri('--config', config('keys.json', { studnet: {} }), '--out', join(dir, 'o2')).stderr).toMatch(
      /unknown key studnet/,
    );
    expect(kapri('--config', config('bad.json', '{ nope'), '--out', join(dir, 'o3')).stderr).toMatch(/not valid JSON/);
  });

  it('refuses an output folder that cannot be written, before any work', () => {
    const ro = join(dir, 'readonly');
    mkdirSync(ro);
    writeFileSync(join(ro, 'file'), 'x');
    const r = kapri('--out', join(ro, 'file', 'sub'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot be written.*--out/);
    chmodSync(ro, 0o755);
  });
});

const TINY = {
  seeds: 1,
  data: { sourceTrain: 64, sourceLabelled: 32, targetLabelled: 16, targetTest: 16, sweep: [16] },
  teacher: { width: 2, steps: 3, lr: 0.003, batchSize: 16 },
  student: { width: 2, steps: 3, lr: 0.003, batchSize: 16 },
  target: { steps: 2, lr: 0.001, batchSize: 8 },
  prior: { fisherBatches: 1, kap: { steps: 2 } },
  compress: { calibrationSamples: 16 },
};

describe('kapri run: a tiny end-to-end run', () => {
  it.each(['physio', 'actions', 'cardio', 'gauss'])(
    'runs %s through every stage, the fused deployment included',
    (scenario) => {
      const out = join(dir, `tiny-${scenario}`);
      const r = kapri(
        '--scenario',
        scenario,
        '--preset',
        'quick',
        '--config',
        config(`tiny-${scenario}.json`, TINY),
        '--out',
        out,
      );
      expect(r.stderr).not.toMatch(/kapri: /);
      expect(r.status).toBe(0);
      const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      // model.kapri is the first device's plan, as report.json records it (bytes and SHA-256).
      const model = readFileSync(join(out, 'model.kapri'));
      expect(rep.artifacts.model).toEqual({
        file: 'model.kapri',
        bytes: model.length,
        sha256: createHash('sha256').update(model).digest('hex'),
      });
      expect(rep.artifacts.devices['browser-desktop'].sha256).toBe(rep.artifacts.model.sha256);
      expect(rep.deployment).toHaveLength(3);
      expect(rep.multiModal.deployment).toHaveLength(3);
      // gauss also runs the source stage at each γ of data.gammaSweep (quick: 0 and 1) and reports the KD gain.
      if (scenario === 'gauss')
        expect(
          rep.gammaSweep.map((g: { gamma: number; kdGain: { meanDiff: number } }) => [
            g.gamma,
            typeof g.kdGain.meanDiff,
          ]),
        ).toEqual([
          [0, 'number'],
          [1, 'number'],
        ]);
      else expect(rep.gammaSweep).toBeUndefined();
    },
    120_000,
  );

  it('writes report.json with the contract fields, report.html, a valid model.kapri and the artifacts, and nothing else', () => {
    const out = join(dir, 'tiny');
    const r = kapri('--preset', 'quick', '--config', config('tiny.json', TINY), '--out', out);
    expect(r.stderr).not.toMatch(/kapri: /);
    expect(r.status).toBe(0);
    // 64 source pairs: hands raises its derived source splits to their minimums, and says so before the run.
    expect(r.stderr).toMatch(
      /\nwarning: hands: the source validation split \(sourceTrain \/ 6\) raised from 11 to its minimum of 100\nwarning: hands: the source test split \(sourceTrain \/ 4\) raised from 16 to its minimum of 200\n/,
    );
    // In a log, each of the seed's stages ends with a line saying where the run is (one seed: no
    // stage still to run has been timed before, so there is no estimate until the end).
    expect(r.stderr).toMatch(/\nseed 1: source done in \d+ s; run: stage 2 of 8, \d+ s elapsed, estimating the rest\n/);
    expect(r.stderr).toMatch(/\nseed 1: sweep done in \d+ s; run: stage 8 of 8, \d+ s elapsed, about 0 s left\n/);
    // The report, the model of the first device's plan, one per device, the prior and the float networks.
    expect(readdirSync(out).sort()).toEqual([
      'model-browser-desktop.kapri',
      'model-mcu-class.kapri',
      'model-phone-mid.kapri',
      'model.kapri',
      'prior.kprior',
      'report.html',
      'report.json',
      'student.kparams',
      'teacher.kparams',
    ]);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.scenario).toBe('hands');
    expect(rep.seeds).toEqual([1]);
    expect(rep.versions).toEqual({
      kapri: expect.any(String),
      node: process.version,
      tfjs: '4.22.0',
      kernels: expect.stringMatching(/simd|relaxed|threads/),
    });
    for (const k of ['metric', 'higherIsBetter', 'teacher', 'studentNoKd', 'studentKd'])
      expect(rep.source).toHaveProperty(k);
    for (const m of ['scratch', 'finetune', 'l2sp', 'fisher', 'kap', 'kapFixed']) {
      expect(rep.target.methods[m]).toMatchObject({ mean: finite, std: finite, perSeed: [finite] });
      // An AUC: a NaN would be null in JSON, a broken metric out of [0, 1].
      expect(rep.target.methods[m].mean).toBeGreaterThanOrEqual(0);
      expect(rep.target.methods[m].mean).toBeLessThanOrEqual(1);
    }
    for (const k of ['teacher', 'studentNoKd', 'studentKd'])
      expect(rep.source[k] >= 0 && rep.source[k] <= 1).toBe(true);
    // Every method against every other, paired over seeds; one seed leaves the t statistics undefined (null).
    expect(rep.target.comparisons).toHaveLength(30);
    expect(rep.target.comparisons[0]).toMatchObject({
      method: 'scratch',
      baseline: 'finetune',
      nSeeds: 1,
      meanDiff: finite,
      t: null,
      p: null,
      pHolm: null,
      wilcoxonP: finite,
    });
    expect(rep.source.comparisons).toEqual([
      expect.objectContaining({ method: 'studentKd', baseline: 'studentNoKd', nSeeds: 1 }),
    ]);
    for (const k of ['phiSpread', 'metaGradNorm', 'outerLossFirst', 'outerLossLast'])
      expect(rep.priors.kap[k]).toEqual(finite);
    for (const m of ['l2sp', 'fisher', 'kap', 'kapFixed'])
      expect(rep.config.prior.strengths).toContain(rep.target.chosen[m].strength);
    for (const k of ['float', 'int8']) expect(rep.compression[k]).toMatchObject({ bytes: finite, metric: finite });
    // The weak modality's options: int8, mixed 8/4, and the channel-pruned student in both; plans pick among them.
    expect(rep.compression.options.map((o: { id: string }) => o.id)).toEqual([
      'int8',
      'mixed-8/4',
      'pruned50-int8',
      'pruned50-mixed-8/4',
    ]);
    expect(rep.compression.pruned.int8.bytes).toBeLessThan(rep.compression.int8.bytes);
    for (const d of rep.deployment)
      expect(rep.compression.options.map((o: { id: string }) => o.id)).toContain(d.plan.weak);
    expect(rep.deployment.map((d: { device: string }) => d.device)).toEqual([
      'browser-desktop',
      'phone-mid',
      'mcu-class',
    ]);
    for (const d of rep.deployment)
      for (const k of ['budget', 'plan', 'memoryBytes', 'latencyMs', 'metric', 'fits']) expect(d).toHaveProperty(k);
    expect(rep.timings).toMatchObject({ totalS: finite, stages: expect.any(Object) });
    // The fused deployment: 8 plans (every pair of int8 / mixed / skip but skipping both), one per device from the governor.
    type Choice = { superior: string; weak: string };
    const mm = rep.multiModal as {
      plans: { choice: Choice; test: number }[];
      deployment: { device: string; plan: Choice & { head: string }; metric: number }[];
    };
    expect(mm.plans).toHaveLength(8);
    expect(mm.plans.some((p) => p.choice.superior === 'skip' && p.choice.weak === 'skip')).toBe(false);
    expect(mm.deployment.map((d) => d.device)).toEqual(['browser-desktop', 'phone-mid', 'mcu-class']);
    for (const d of mm.deployment) {
      expect(d.plan.head).toBe('int8');
      expect(d.metric).toBe(
        mm.plans.find((p) => p.choice.superior === d.plan.superior && p.choice.weak === d.plan.weak)!.test,
      );
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Fused deployment on the source/);
    // The methods side by side, each paired against fine-tuning, and whether the prior learned.
    expect(html).toMatch(/Did knowledge as priors help\?/);
    expect(html).toMatch(/Paired difference to fine-tuning, per seed/);
    expect(html).toMatch(/spread of the learned strengths/);
    expect(E.isRight(decodeQModel(new Uint8Array(readFileSync(join(out, 'model.kapri')))))).toBe(true);
  }, 180_000);

  it('stops every worker and exits with the typed error when a seed fails on a worker', () => {
    const out = join(dir, 'jobs-fail');
    const t0 = Date.now();
    const r = kapri(
      '--preset',
      'quick',
      '--config',
      config('tiny-fail.json', { ...TINY, seeds: 2, teacher: { ...TINY.teacher, lr: 1e6, steps: 50 } }),
      '--jobs',
      '2',
      '--out',
      out,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/loss became (NaN|Infinity)/);
    oneParagraph(
      r.stderr
        .split('\n')
        .filter((l) => !l.startsWith('seed '))
        .join('\n'),
    );
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(120_000);
  }, 180_000);

  it('gives the same report with two seeds on two worker threads as one after another (timings aside)', () => {
    // Everything but wall-clock measurements (stage timings, kernel latencies, the governor's re-plan time).
    const numbers = (out: string) =>
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'), (k, v) =>
        k === 'timings' || /latency|Us$/i.test(k) ? undefined : v,
      );
    const cfg = config('tiny-jobs.json', { ...TINY, seeds: 2 });
    const a = join(dir, 'jobs-1');
    const b = join(dir, 'jobs-2');
    const one = kapri('--preset', 'quick', '--config', cfg, '--jobs', '1', '--out', a);
    expect(one.status).toBe(0);
    // Seed 2's stages were all timed on seed 1: from then on the log estimates the time left.
    expect(one.stderr).toMatch(
      /\nseed 2: source done in \d+ s; run: stage 10 of 12, \d+ s elapsed, about \d+ s left\n/,
    );
    const r = kapri('--preset', 'quick', '--config', cfg, '--jobs', '2', '--out', b);
    expect(r.stderr).toMatch(/seed 2 · /);
    expect(r.status).toBe(0);
    expect(numbers(b)).toEqual(numbers(a));
    const timings = JSON.parse(readFileSync(join(b, 'report.json'), 'utf8')).timings;
    expect(timings.jobs).toBe(2);
    // Each worker's own memory at its peak: tfjs-wasm's heap and the kernels' at least, far below the heap limit.
    expect(timings.peakMemoryMb.perSeed).toHaveLength(2);
    for (const mb of timings.peakMemoryMb.perSeed) expect(mb).toBeGreaterThan(1);
    expect(timings.peakMemoryMb.max).toBe(Math.max(...timings.peakMemoryMb.perSeed));
    expect(readFileSync(join(b, 'model.kapri'))).toEqual(readFileSync(join(a, 'model.kapri')));
  }, 300_000);
});
