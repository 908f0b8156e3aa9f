/**
 * The dependency rule of the README's Layout, checked on every import of src/: layers point one way, tfjs stays
 * out of the layers an edge deployment loads, and the package never imports its bench or tests.
 * (The runtime sits just above the kernels here: it needs only them, and compress builds QModels; onnx
 * converts QModels and needs only the runtime.)
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');

/** Lowest first: a layer may import only the layers before it. */
const LAYERS = [
  'core',
  'kernels',
  'runtime',
  'onnx',
  'backend',
  'data',
  'scenarios',
  'nn',
  'train',
  'distill',
  'priors',
  'compress',
  'resource',
  'pipeline',
  'cli',
];
/** Layers that must load without tfjs. */
const NO_TFJS = ['core', 'kernels', 'runtime', 'onnx', 'data', 'scenarios', 'resource', 'cli'];

const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

interface Edge {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

/** Every import/export-from of a src file, as the layer it leaves and what it reaches. */
const edges: Edge[] = walk(src).flatMap((f) => {
  const file = relative(root, f);
  const from = relative(src, f).split('/')[0]!;
  return [...readFileSync(f, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].flatMap(
    (m) => {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('@tensorflow/')) return [{ file, from, to: 'tfjs' }];
      if (!spec.startsWith('.')) return [];
      const r = relative(src, resolve(dirname(f), spec));
      return [{ file, from, to: r.startsWith('..') ? `outside src: ${r}` : r.split('/')[0]! }];
    },
  );
});

describe('the layering of src/', () => {
  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.from === 'pipeline' && e.to === 'priors').length).toBeGreaterThan(0);
    expect(edges.filter((e) => e.to === 'tfjs').length).toBeGreaterThan(0);
  });

  it('never imports from outside src but the build of the kernels (not bench/, test/, scripts/)', () => {
    // build/ holds what `npm run build:wasm` generates from assembly/: the kernels' own signatures.
    const outside = edges.filter((e) => e.to.startsWith('outside src') && !e.to.startsWith('outside src: ../build/'));
    expect(outside.map((e) => `${e.file} → ${e.to}`)).toEqual([]);
  });

  it('has every layer import only layers below it', () => {
    const rank = (l: string) => LAYERS.indexOf(l);
    const upward = edges.filter(
      (e) => LAYERS.includes(e.from) && LAYERS.includes(e.to) && e.from !== e.to && rank(e.to) > rank(e.from),
    );
    expect(upward.map((e) => `${e.file} → ${e.to}`)).toEqual([]);
  });

  it('knows every folder of src as a layer', () => {
    const folders = readdirSync(src).filter((f) => statSync(join(src, f)).isDirectory());
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('keeps tfjs out of the layers an edge deployment or the CLI front loads', () => {
    expect(edges.filter((e) => NO_TFJS.includes(e.from) && e.to === 'tfjs').map((e) => e.file)).toEqual([]);
  });
});
