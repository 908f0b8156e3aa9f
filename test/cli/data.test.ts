/**
 * Users' data through the compiled CLI (issue 15): `kapri run --data MANIFEST` on generated manifests
 * of each kind through every stage, the artifacts it writes and their record in report.json; the
 * written model is the plan chosen for a device whose budget forces pruning; `kapri target` trains a
 * new target from a saved prior and student with the numbers of the same stages run in one process;
 * bad manifests, priors and students are refused with the file and the field, and nothing is written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { loadTargetManifest } from '../../src/data/manifest.js';
import { decodeNpy, encodeNpy } from '../../src/data/npy.js';
import { decodeConfig, deepMerge } from '../../src/pipeline/config.js';
import { PRESETS } from '../../src/pipeline/presets.js';
import { cmkdPartsOf, taskFor } from '../../src/pipeline/seedRun.js';
import { runSourceStage } from '../../src/pipeline/sourceStage.js';
import { learnPriors, runTargetStage } from '../../src/pipeline/targetStage.js';
import { loadDataset } from '../../src/pipeline/userDataset.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { rightOf } from '../support/either.js';
import { pngOf } from '../support/images.js';
import { kapriCli } from '../support/cli.js';

const kapri = kapriCli;
const dir = mkdtempSync(join(tmpdir(), 'kapri-data-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const TINY = {
  seeds: 1,
  data: { targetLabelled: 16, sweep: [16] },
  teacher: { width: 2, steps: 3, lr: 0.003, batchSize: 16 },
  // depth 3 (not the presets' 2): the prior's record must carry it to kapri target
  student: { width: 2, depth: 3, steps: 3, lr: 0.003, batchSize: 16 },
  target: { steps: 2, lr: 0.001, batchSize: 8 },
  prior: { fisherBatches: 1, kap: { steps: 2, subset: 16 } },
  compress: { calibrationSamples: 16 },
};
const tinyFile = join(dir, 'tiny.json');
writeFileSync(tinyFile, JSON.stringify(TINY));

type Kind = { task: 'regression' | 'classification'; weak: number[]; superior: number[]; label: number[] };
const IMAGE_REGRESSION: Kind = { task: 'regression', weak: [8, 8, 3], superior: [8, 8, 1], label: [2] };
const SIGNAL_CLASSES: Kind = { task: 'classification', weak: [16, 2], superior: [16, 4], label: [] };
const SIZES = { train: 40, val: 16, test: 16 } as const;

/**
 * Writes a manifest of `kind` (seeded data, labels loosely tied to the weak modality so training has
 * something to find) into a new folder; `targetOnly` leaves the source out (a `kapri target` manifest).
 */
const manifestOf = (
  name: string,
  kind: Kind,
  seed: number,
  extra: { targetOnly?: boolean; teacherOutputs?: boolean } = {},
): string => {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const rng = createRng(seed);
  const save = (file: string, data: Float32Array | Int32Array, shape: number[]) => {
    writeFileSync(join(folder, file), encodeNpy(data, shape));
    return file;
  };
  const splits = (side: string, superior: boolean) =>
    Object.fromEntries(
      Object.entries(SIZES).map(([split, n]) => {
        const per = kind.weak.reduce((a, b) => a * b, 1);
        const weak = Float32Array.from({ length: n * per }, () => rng.uniform());
        const mean = (i: number) => weak.subarray(i * per, (i + 1) * per).reduce((a, b) => a + b, 0) / per;
        const label =
          kind.task === 'classification'
            ? Int32Array.from({ length: n }, (_, i) => Math.min(2, Math.floor(mean(i) * 6 - 1.5 + rng.uniform())))
            : Float32Array.from(
                { length: n * kind.label[0]! },
                (_, j) => 100 * mean(Math.floor(j / 2)) + 3 * rng.uniform(),
              );
        const entry: Record<string, string> = {
          weak: save(`${side}-${split}-weak.npy`, weak, [n, ...kind.weak]),
          label: save(`${side}-${split}-label.npy`, label, [n, ...kind.label]),
        };
        if (superior && extra.teacherOutputs) {
          // A teacher from elsewhere: logits that favour the label, or predictions near it (label units).
          const outputs =
            kind.task === 'classification'
              ? Float32Array.from(
                  { length: n * 3 },
                  (_, j) => (label[Math.floor(j / 3)] === j % 3 ? 2 : 0) + rng.normal(),
                )
              : Float32Array.from(label, (v) => v + 2 * rng.normal());
          entry['teacherOutputs'] = save(`${side}-${split}-teacher.npy`, outputs, [
            n,
            ...(kind.task === 'classification' ? [3] : kind.label),
          ]);
        } else if (superior) {
          const sup = Float32Array.from({ length: n * kind.superior.reduce((a, b) => a * b, 1) }, () => rng.uniform());
          entry['superior'] = save(`${side}-${split}-superior.npy`, sup, [n, ...kind.superior]);
        }
        return [split, entry];
      }),
    );
  const m = {
    task: kind.task,
    ...(kind.task === 'classification' ? { classes: 3 } : {}),
    ...(extra.targetOnly ? {} : { source: splits('source', true) }),
    target: splits('target', false),
  };
  const file = join(folder, extra.targetOnly ? 'target.json' : 'manifest.json');
  writeFileSync(file, JSON.stringify(m, null, 1));
  return file;
};

const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
const bytesOf = (out: string, f: string) => new Uint8Array(readFileSync(join(out, f)));
const run = (manifest: string, out: string, ...more: string[]) => {
  const r = kapri('run', '--data', manifest, '--preset', 'quick', '--config', tinyFile, '--out', out, ...more);
  expect(r.stderr).not.toMatch(/kapri: /);
  expect(r.status).toBe(0);
  return r;
};

/** Every artifact of report.json is the file on disk: its bytes and SHA-256. */
const expectArtifactsMatch = (out: string) => {
  const a = readReport(out).artifacts;
  const all = [a.model, a.prior, a.teacher, a.student, ...Object.values(a.devices)].filter(Boolean) as {
    file: string;
    bytes: number;
    sha256: string;
  }[];
  for (const f of all) {
    const b = bytesOf(out, f.file);
    expect({ file: f.file, bytes: b.length, sha256: sha(b) }).toEqual(f);
  }
  return a;
};

describe('kapri run --data: a manifest of each kind through every stage', () => {
  it('image regression: MAE and RMSE, a model that says what it outputs, every artifact recorded', () => {
    const manifest = manifestOf('img-reg', IMAGE_REGRESSION, 1);
    const out = join(dir, 'out-img-reg');
    run(manifest, out);
    expect(readdirSync(out).sort()).toEqual(
      [
        'model-browser-desktop.kapri',
        'model-mcu-class.kapri',
        'model-phone-mid.kapri',
        'model.kapri',
        'prior.kprior',
        'report.html',
        'report.json',
        'student.kparams',
        'teacher.kparams',
      ].sort(),
    );
    const rep = readReport(out);
    expect(rep.scenario).toBe(`data:${manifest}`);
    expect(rep.target).toMatchObject({ metric: 'mae', higherIsBetter: false });
    expect(rep.source).toMatchObject({ metric: 'mae', higherIsBetter: false });
    expect(Object.keys(rep.target.details.kap).sort()).toEqual(['mae', 'rmse']);
    expect(rep.target.details.kap.rmse).toBeGreaterThanOrEqual(rep.target.details.kap.mae);
    // The data's fingerprint: the manifest first, then every .npy read, each with its SHA-256.
    expect(rep.dataset.files[0]).toMatchObject({ file: manifest });
    expect(rep.dataset.files).toHaveLength(1 + 3 * 3 + 3 * 2);
    for (const f of rep.dataset.files.slice(1))
      expect(sha(readFileSync(join(dirname(manifest), f.file)))).toBe(f.sha256);
    const a = expectArtifactsMatch(out);
    expect(Object.keys(a.devices)).toEqual(['browser-desktop', 'phone-mid', 'mcu-class']);
    // model.kapri is the first device's plan, and says what its outputs mean.
    expect(a.model.sha256).toBe(a.devices['browser-desktop'].sha256);
    const meta = rightOf(decodeQModel(bytesOf(out, 'model.kapri'))).header.meta;
    expect(meta).toMatchObject({ task: 'regression', outputs: 2, labelShape: '[2]' });
    expect(meta['labelTransform']).toMatch(/^label = output \/ [0-9.e-]+$/);
    expect(rep.versions).toMatchObject({ node: process.version, tfjs: '4.22.0' });
    const inspect = kapri('inspect', join(out, 'model.kapri'));
    expect(inspect.stdout).toMatch(/meta {7}task: regression\n/);
    expect(inspect.stdout).toMatch(/meta {7}labelTransform: label = output \//);
  }, 120_000);

  it('signal classification: accuracy and macro-F1; a superior modality named on the target is not read', () => {
    const manifest = manifestOf('sig-cls', SIGNAL_CLASSES, 2);
    const out = join(dir, 'out-sig-cls');
    run(manifest, out);
    const rep = readReport(out);
    expect(rep.target).toMatchObject({ metric: 'accuracy', higherIsBetter: true });
    expect(Object.keys(rep.target.details.kap).sort()).toEqual(['accuracy', 'macroF1']);
    expect(rightOf(decodeQModel(bytesOf(out, 'model.kapri'))).header.meta).toMatchObject({
      task: 'classification',
      classes: 3,
    });
    expectArtifactsMatch(out);
    // The same manifest with a superior modality on every target split, naming a file that does not
    // exist: it is never read, so the run says so and gives the same numbers.
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const s of ['train', 'val', 'test']) m.target[s].superior = 'no-such-file.npy';
    const withSuperior = join(dirname(manifest), 'with-superior.json');
    writeFileSync(withSuperior, JSON.stringify(m));
    const out2 = join(dir, 'out-sig-cls-sup');
    const r = run(withSuperior, out2);
    expect(r.stderr).toMatch(/warning: target\.train\.superior is not read: the target is teacherless/);
    const numbers = (o: string) => {
      const { timings: _t, dataset: _d, scenario: _s, notes: _n, latencyMeasuredOn: _l, ...rest } = readReport(o);
      return JSON.parse(JSON.stringify(rest), (k, v) => (/latency|Us$/i.test(k) ? undefined : v));
    };
    expect(numbers(out2).target).toEqual(numbers(out).target);
    expect(numbers(out2).source).toEqual(numbers(out).source);
  }, 120_000);
});

describe('kapri run --data: a teacher given as its outputs (teacherOutputs), computed in any framework', () => {
  const given = (manifest: string, split: string) => {
    const folder = dirname(manifest);
    const read = (f: string) => rightOf(decodeNpy(new Uint8Array(readFileSync(join(folder, f)))));
    return { t: read(`source-${split}-teacher.npy`), y: read(`source-${split}-label.npy`) };
  };

  it('classification: no teacher is trained; its score is the accuracy of the given test logits', () => {
    const manifest = manifestOf('given-cls', SIGNAL_CLASSES, 4, { teacherOutputs: true });
    const out = join(dir, 'out-given-cls');
    run(manifest, out);
    const rep = readReport(out);
    const { t, y } = given(manifest, 'test');
    const argmax = (i: number) => [0, 1, 2].reduce((b, c) => (t.data[i * 3 + c]! > t.data[i * 3 + b]! ? c : b), 0);
    const accuracy = y.data.reduce((a, v, i) => a + (argmax(i) === v ? 1 : 0), 0) / y.data.length;
    expect(rep.source.teacher).toBeCloseTo(accuracy, 10);
    expect(rep.source.teacher).not.toBeCloseTo(rep.source.studentNoKd, 10);
    expect(existsSync(join(out, 'teacher.kparams'))).toBe(false);
    const a = expectArtifactsMatch(out);
    expect(a.teacher).toBeUndefined();
    expect(rep.multiModal).toBeUndefined();
    expect(rep.notes.join('\n')).toMatch(
      /the teacher is the manifest's teacherOutputs \(3 outputs per sample\): it was not trained/,
    );
  }, 120_000);

  it('regression: the given predictions are in label units, and the teacher is scored in them', () => {
    const manifest = manifestOf('given-reg', IMAGE_REGRESSION, 5, { teacherOutputs: true });
    const out = join(dir, 'out-given-reg');
    run(manifest, out);
    const { t, y } = given(manifest, 'test');
    const mae = t.data.reduce((a, v, i) => a + Math.abs(v - y.data[i]!), 0) / t.data.length;
    expect(readReport(out).source.teacher).toBeCloseTo(mae, 3);
  }, 120_000);
});

/**
 * A manifest of image folders: per split a CSV pairing RGB PNGs (weak) with 16-bit depth PNGs
 * (superior, source only) and giving the class; classes follow the images' brightness.
 */
const imageManifestOf = (name: string, seed: number, odd?: { split: string; row: number }): string => {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'rgb'), { recursive: true });
  mkdirSync(join(folder, 'depth'), { recursive: true });
  const rng = createRng(seed);
  const csv = (side: string, split: string, n: number) => {
    const lines = [side === 'source' ? 'weak,superior,label' : 'weak,label'];
    for (let i = 0; i < n; i++) {
      const c = rng.int(3);
      const size = odd && odd.split === `${side}.${split}` && odd.row === i ? 6 : 8;
      const rgb = Array.from({ length: size * size * 3 }, () => Math.min(255, Math.floor(60 * c + 80 * rng.uniform())));
      const base = `${side}-${split}-${i}`;
      writeFileSync(join(folder, 'rgb', `${base}.png`), pngOf(size, size, 2, rgb));
      if (side === 'source') {
        const depth = Array.from({ length: 64 }, () => Math.floor(20000 * c + 5000 * rng.uniform()));
        writeFileSync(join(folder, 'depth', `${base}.png`), pngOf(8, 8, 0, depth, 16));
        lines.push(`rgb/${base}.png,depth/${base}.png,${c}`);
      } else lines.push(`rgb/${base}.png,${c}`);
    }
    writeFileSync(join(folder, `${side}-${split}.csv`), `${lines.join('\n')}\n`);
    return { csv: `${side}-${split}.csv` };
  };
  const splits = (side: string) =>
    Object.fromEntries(Object.entries(SIZES).map(([split, n]) => [split, csv(side, split, n)]));
  const file = join(folder, 'manifest.json');
  writeFileSync(
    file,
    JSON.stringify({ task: 'classification', classes: 3, source: splits('source'), target: splits('target') }),
  );
  return file;
};

describe('kapri run --data: folders of PNG images with a CSV per split', () => {
  it('runs every stage on RGB images taught by 16-bit depth maps, and fingerprints every image', () => {
    const manifest = imageManifestOf('images', 6);
    const out = join(dir, 'out-images');
    run(manifest, out);
    const rep = readReport(out);
    expect(rep.target).toMatchObject({ metric: 'accuracy', higherIsBetter: true });
    const n = SIZES.train + SIZES.val + SIZES.test;
    // the manifest, six CSVs, the source's RGB and depth images and the target's RGB images
    expect(rep.dataset.files).toHaveLength(1 + 6 + 3 * n);
    expect(rep.dataset.files.map((f: { file: string }) => f.file)).toContain('depth/source-test-0.png');
    expect(rightOf(decodeQModel(bytesOf(out, 'model.kapri'))).header.meta).toMatchObject({ classes: 3 });
    expectArtifactsMatch(out);
  }, 120_000);

  it('refuses an image of another size, naming the CSV, the line and both images, and writes nothing', () => {
    const manifest = imageManifestOf('images-odd', 7, { split: 'target.val', row: 3 });
    const out = join(dir, 'out-images-odd');
    const r = kapri('run', '--data', manifest, '--preset', 'quick', '--config', tinyFile, '--out', out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /target-val\.csv line 5: rgb\/target-val-3\.png is \[6, 6, 3\] \(H, W, C\), but rgb\/target-val-0\.png is \[8, 8, 3\]/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('kapri run --data: model.kapri is the plan chosen for the device', () => {
  it('writes the pruned model when the device budget forces pruning (not the int8 model)', () => {
    const manifest = manifestOf('img-reg-budget', IMAGE_REGRESSION, 3);
    const first = join(dir, 'out-budget-1');
    run(manifest, first);
    const options: { id: string; bytes: number }[] = readReport(first).compression.options;
    const unpruned = Math.min(...options.filter((o) => !o.id.startsWith('pruned')).map((o) => o.bytes));
    // Precondition: some pruned option is smaller than every unpruned one.
    expect(options.some((o) => o.id.startsWith('pruned') && o.bytes < unpruned)).toBe(true);
    const device = join(dir, 'tight.json');
    writeFileSync(
      device,
      JSON.stringify({
        name: 'tight',
        description: 'a budget below every unpruned option',
        memoryBytes: unpruned - 1,
        latencyMs: 1000,
        threads: 1,
        simd: true,
        relativeSpeed: 1,
      }),
    );
    const out = join(dir, 'out-budget-2');
    run(manifest, out, '--device', device);
    const rep = readReport(out);
    const [d] = rep.deployment;
    expect(d).toMatchObject({ device: 'tight', fits: true });
    expect(d.plan.weak).toMatch(/^pruned50-/);
    const model = bytesOf(out, 'model.kapri');
    const planned = d.plan.weak.endsWith('int8') ? rep.compression.pruned.int8 : rep.compression.pruned.mixed;
    expect(model.length).toBe(planned.bytes);
    expect(model.length).not.toBe(rep.compression.int8.bytes);
    expect(model).toEqual(bytesOf(out, 'model-tight.kapri'));
    expect(rep.artifacts.model).toEqual({ file: 'model.kapri', bytes: model.length, sha256: sha(model) });
    expect(rep.artifacts.devices).toEqual({ tight: { ...rep.artifacts.model, file: 'model-tight.kapri' } });
  }, 120_000);
});

describe('kapri target: a new teacherless target from a saved prior', () => {
  const source = () => manifestOf('src-for-target', IMAGE_REGRESSION, 4);
  let manifest: string;
  let target: string;
  let saved: string;

  beforeAll(() => {
    manifest = source();
    target = manifestOf('new-target', IMAGE_REGRESSION, 5, { targetOnly: true });
    saved = join(dir, 'out-saved');
    run(manifest, saved);
  }, 120_000);

  /** `kapri target` on `data` from the saved prior and `student` (quick preset, tiny config). */
  const targetRun = (data: string, student: string, out: string, ...more: string[]) =>
    kapri(
      'target',
      '--data',
      data,
      '--prior',
      join(saved, 'prior.kprior'),
      '--student',
      join(saved, student),
      '--preset',
      'quick',
      '--config',
      tinyFile,
      '--out',
      out,
      ...more,
    );

  it('gives the same numbers and model with two seeds on two worker threads as on this thread', () => {
    // Everything but wall-clock measurements (stage timings, kernel latencies).
    const numbers = (out: string) =>
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'), (k, v) =>
        k === 'timings' || /latency|Us$/i.test(k) ? undefined : v,
      );
    const a = join(dir, 'target-jobs-1');
    const b = join(dir, 'target-jobs-2');
    expect(targetRun(target, 'student.kparams', a, '--seeds', '2', '--jobs', '1').status).toBe(0);
    const two = targetRun(target, 'student.kparams', b, '--seeds', '2', '--jobs', '2');
    expect(two.stderr).toMatch(/seed 2 · /);
    expect(two.status).toBe(0);
    expect(
      Object.values(readReport(a).target.methods).every((m) => (m as { perSeed: number[] }).perSeed.length === 2),
    ).toBe(true);
    expect(numbers(b)).toEqual(numbers(a));
    expect(readReport(b).timings.jobs).toBe(2);
    expect(readReport(b).timings.peakMemoryMb.perSeed).toHaveLength(2);
    expect(readFileSync(join(b, 'model.kapri'))).toEqual(readFileSync(join(a, 'model.kapri')));
  }, 300_000);

  it('gives the numbers of the same stages run in one process', async () => {
    const out = join(dir, 'out-target');
    const r = targetRun(target, 'student.kparams', out);
    expect(r.stderr).not.toMatch(/kapri: /);
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      [
        'model-browser-desktop.kapri',
        'model-mcu-class.kapri',
        'model-phone-mid.kapri',
        'model.kapri',
        'report.html',
        'report.json',
      ].sort(),
    );
    const rep = readReport(out);
    expect(rep.kind).toBe('target');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`kapri report: target ${target}`);
    expect(rep.from.prior).toMatchObject({ family: 'kap', sha256: sha(readFileSync(join(saved, 'prior.kprior'))) });
    expect(rep.from.record).toMatchObject({
      task: 'regression',
      inputShape: [8, 8, 3],
      width: 2,
      depth: 3,
      outputs: 2,
    });
    expect(Object.keys(rep.target.methods)).toEqual(['scratch', 'finetune', 'kap']);
    expectArtifactsMatch(out);

    // The same stages in this process: source, priors, then the target stage on the new target.
    await initTraining();
    const config = rightOf(decodeConfig(deepMerge(PRESETS.quick, TINY)));
    const data = (await loadDataset(manifest)).data;
    const task = taskFor(data, config);
    const rng = createRng(config.seed);
    const src = await runSourceStage({ source: data.source, task, config, rng: rng.fork('source') });
    try {
      const priors = await learnPriors(
        cmkdPartsOf({ scenario: { data, task }, source: src } as Parameters<typeof cmkdPartsOf>[0]),
        { train: src.labelled, val: data.source.val },
        task,
        config,
        rng.fork('priors'),
      );
      const t = await runTargetStage({
        target: (await loadTargetManifest(target)).target,
        studentSrc: src.studentKd,
        priors,
        task,
        config,
        labelled: config.data.targetLabelled,
        rng: rng.fork('target'),
        methods: ['scratch', 'finetune', 'kap'],
      });
      expect(rep.target.methods.scratch.perSeed).toEqual([t.results['scratch']![0]!.score]);
      expect(rep.target.methods.finetune.perSeed).toEqual([t.results['finetune']![0]!.score]);
      expect(rep.target.grid.kap.map((g: { test: number }) => g.test)).toEqual(t.results['kap']!.map((x) => x.score));
      expect(rep.target.grid.kap.map((g: { val: number }) => g.val)).toEqual(t.results['kap']!.map((x) => x.val));
    } finally {
      src.teacher.dispose();
      src.studentKd.dispose();
      src.projection.dispose();
    }
  }, 180_000);

  it('refuses a prior for another architecture, naming the files and the field, and writes nothing', () => {
    const other = manifestOf('sig-for-target', SIGNAL_CLASSES, 6, { targetOnly: true });
    const out = join(dir, 'out-target-bad');
    const r = targetRun(other, 'student.kparams', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${other}: target.train.weak has samples of shape [16, 2], not [8, 8, 3]; the prior ${join(saved, 'prior.kprior')} was learned for`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a student file that does not fit the prior, naming it', () => {
    const out = join(dir, 'out-target-bad-student');
    const r = targetRun(target, 'teacher.kparams', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/parameter file .*teacher\.kparams is for model 'teacher', not 'student'/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('kapri run --data: bad manifests name the file and the field, and nothing is written', () => {
  const refused = (manifest: string, msg: RegExp | string, config = tinyFile) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const r = kapri('run', '--data', manifest, '--config', config, '--out', out);
    expect(r.status).toBe(1);
    if (typeof msg === 'string') expect(r.stderr).toContain(msg);
    else expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest's JSON, edited field by field
  const edited = (name: string, edit: (m: any) => void) => {
    const manifest = manifestOf(name, SIGNAL_CLASSES, 7);
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    edit(m);
    writeFileSync(manifest, JSON.stringify(m));
    return manifest;
  };

  it('a weak modality whose shape differs between source and target', () => {
    const manifest = edited('bad-shape', (m) => {
      m.target.val.weak = m.source.train.superior;
    });
    refused(
      manifest,
      /target\.val\.weak \(.*source-train-superior\.npy\) has samples of shape \[16, 4\], but source\.train\.weak has \[16, 2\]/,
    );
  });

  it('labels whose count disagrees with the samples', () => {
    const manifest = edited('bad-count', (m) => {
      m.target.test.label = m.target.train.label;
    });
    refused(manifest, `manifest ${manifest}: target.test: label holds 40 class ids, expected 16`);
  });

  it('a regression manifest with classes, and a target without labels', () => {
    refused(
      edited('bad-task', (m) => {
        m.task = 'regression';
      }),
      /"classes" is given \(3\) but "task" is regression/,
    );
    const manifest = edited('no-labels', (m) => {
      delete m.target.val.label;
    });
    refused(manifest, `manifest ${manifest}: target.val.label is missing`);
  });

  it('--data with --scenario, and a labelled set larger than the target', () => {
    const manifest = manifestOf('ok', SIGNAL_CLASSES, 8);
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ ...TINY, data: { targetLabelled: 100, sweep: [100] } }));
    refused(
      manifest,
      `the config's 'data.targetLabelled' asks for 100 labelled target samples, but target.train of ${manifest} has 40`,
      big,
    );
    const r = kapri('run', '--data', manifest, '--scenario', 'gauss');
    expect(r.stderr).toMatch(/--data and --scenario both name the data; give one/);
  });
});
