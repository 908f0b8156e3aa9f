/**
 * Every ```ts snippet of README.md runs as written against the built package: imports of `kapri`,
 * `kapri/runtime` and `kapri/kernels` resolve to dist/, types are stripped with esbuild, and each
 * snippet runs in a fresh Node process in a folder holding `out/model.kapri` (the golden model).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

const ENTRY: Record<string, string> = {
  kapri: 'dist/src/index.js',
  'kapri/runtime': 'dist/src/runtime/index.js',
  'kapri/kernels': 'dist/src/kernels/index.js',
};

const runnable = (code: string): string => {
  const js = transformSync(code, { loader: 'ts', format: 'esm', target: 'node20' }).code;
  return js.replace(/from\s+['"](kapri(?:\/runtime|\/kernels)?)['"]/g, (_, spec: string) => `from ${JSON.stringify(pathToFileURL(join(root, ENTRY[spec]!)).href)}`);
};

describe('README snippets', () => {
  it('has snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets.map((s, i) => [i, s.split('\n')[0]!, s] as const))('snippet %i (%s) runs', (_, __, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'kapri-readme-'));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'model.kapri'), Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)));
    const file = join(dir, 'snippet.mjs');
    writeFileSync(file, runnable(code));
    // Throws (with the snippet's stderr) if the snippet fails.
    execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 });
  }, 180_000);
});
