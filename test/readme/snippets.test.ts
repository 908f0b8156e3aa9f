/**
 * Every ```ts and ```js snippet of README.md runs as written against the built package, in a fresh
 * Node process, in a temporary folder inside the repository (so `kapri` resolves to this package's
 * exports and `@tensorflow/tfjs-core` to its dependency) that holds `out/model.kapri` (the golden
 * model). Types are stripped with esbuild. A block fenced ```js continued runs after the block
 * before it (one program); a block fenced ```js browser is for browsers and is not run here (the
 * browser example is driven in Chromium by test/examples/browserPage.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(ts|js)( continued)?\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, continued: m[2] !== undefined, code: m[3]! }));
// A continued block joins the program of the block before it.
const snippets = blocks.reduce<{ title: string; code: string }[]>((acc, b) => {
  if (b.continued && acc.length > 0) acc[acc.length - 1]!.code += `\n${b.code}`;
  else acc.push({ title: b.code.split('\n')[0]!, code: b.code });
  return acc;
}, []);

const runnable = (code: string): string => transformSync(code, { loader: 'ts', format: 'esm', target: 'node20' }).code;

describe('README snippets', () => {
  it('has snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets.map((s, i) => [i, s.title, s.code] as const))('snippet %i (%s) runs', (_, __, code) => {
    const dir = mkdtempSync(join(root, '.readme-test-'));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'model.kapri'), Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)));
    const file = join(dir, 'snippet.mjs');
    writeFileSync(file, runnable(code));
    // Throws (with the snippet's stderr) if the snippet fails.
    try {
      execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
