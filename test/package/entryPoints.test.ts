/**
 * The package's entry points work from plain Node (not only under vitest), and `kapri/runtime`
 * loads no tfjs module: an edge deployment gets the kernels and nothing else.
 * These run the compiled dist/ (built by `npm install` / `npm test`'s pretest).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = (code: string): string =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('package entry points', () => {
  it("import('kapri') works in plain Node and exposes the library", () => {
    expect(
      node(
        "const m = await import('kapri'); console.log(typeof m.runPipeline, typeof m.initTraining, typeof m.createRng, typeof m.exportOnnx)",
      ).trim(),
    ).toBe('function function function function');
  });

  it("import('kapri') hides internals and leaves the kernel API to 'kapri/kernels'", () => {
    expect(
      node(
        "const m = await import('kapri'); console.log(typeof m.writeFileAtomic, typeof m.medianMs, typeof m.choleskySolveInPlace, typeof m.loadKernels)",
      ).trim(),
    ).toBe('undefined undefined undefined undefined');
  });

  it("import('kapri/kernels') loads and runs a kernel in plain Node", () => {
    const out = node(
      "const k = await import('kapri/kernels'); const m = await k.loadKernels(); console.log(k.dotS8(m, new Int8Array([1, -2, 3]), new Int8Array([4, 5, -6])))",
    );
    expect(out.trim()).toBe('-24');
  });

  it("import('kapri/runtime') resolves no @tensorflow module", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapri-hook-'));
    const hook = join(dir, 'hook.mjs');
    writeFileSync(
      hook,
      "export async function resolve(s, c, next) { const r = await next(s, c); process.stdout.write('RESOLVED ' + r.url + '\\n'); return r; }\n",
    );
    const out = node(
      `import { register } from 'node:module'; import { pathToFileURL } from 'node:url'; register(pathToFileURL(${JSON.stringify(hook)})); const m = await import('kapri/runtime'); const k = await m.loadKernels(); console.log('BUILD ' + k.build);`,
    );
    const resolved = out.split('\n').filter((l) => l.startsWith('RESOLVED '));
    expect(resolved.some((l) => l.includes('/dist/src/runtime/index.js'))).toBe(true);
    expect(resolved.filter((l) => l.includes('@tensorflow'))).toEqual([]);
    // ONNX conversion lives in the library and the CLI: no protobuf and no onnxruntime on the edge.
    expect(resolved.filter((l) => /node_modules\/(onnx|protobufjs)|\/src\/onnx\//.test(l))).toEqual([]);
    expect(out).toMatch(/BUILD (simd|relaxed)/);
  });
});

describe('examples', () => {
  it('examples/node/run.mjs loads a model.kapri through kapri/runtime and runs it', async () => {
    const golden = (await import('../fixtures/executorGolden.json')).default as { model: string };
    const dir = mkdtempSync(join(tmpdir(), 'kapri-example-'));
    const file = join(dir, 'model.kapri');
    writeFileSync(file, Buffer.from(golden.model, 'base64'));
    const out = execFileSync(process.execPath, ['examples/node/run.mjs', file], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/input \[32, 32, 3\]/);
    expect(out).toMatch(/output \(63 values\): -0\.0309/);
  });

  it('examples/node/run.mjs says in one line what is wrong with a missing model, without a stack', () => {
    const r = spawnSync(process.execPath, ['examples/node/run.mjs', 'no-such-folder/model.kapri'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^run\.mjs: .*no-such-folder\/model\.kapri/)]);
  });

  it('kapri --version prints the version of package.json', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const out = execFileSync(process.execPath, ['dist/src/cli/main.js', '--version'], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe(`kapri ${pkg.version}`);
  });
});
