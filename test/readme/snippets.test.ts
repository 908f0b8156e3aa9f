/**
 * Every ```ts and ```js snippet of README.md runs as written against the built package, in a fresh
 * Node process, in a temporary folder inside the repository (so `kapri` resolves to this package's
 * exports and `@tensorflow/tfjs-core` to its dependency) that holds `out/model.kapri` (the golden
 * model). Types are stripped with esbuild. A block fenced ```js continued runs after the block
 * before it (one program); a block fenced ```js browser is for browsers and is not run here (the
 * browser example is driven in Chromium by test/examples/browserPage.test.ts). A `console.log` whose
 * line ends in `// → text`, or is followed by a line `// → text`, must print exactly that text
 * (compared with the spaces Node puts inside brackets removed), every time it runs.
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
const blocks = [...readme.matchAll(/```(ts|js)( continued)?\n([\s\S]*?)```/g)].map((m) => ({
  lang: m[1]!,
  continued: m[2] !== undefined,
  code: m[3]!,
}));
// A continued block joins the program of the block before it.
const snippets = blocks.reduce<{ title: string; code: string }[]>((acc, b) => {
  if (b.continued && acc.length > 0) acc[acc.length - 1]!.code += `\n${b.code}`;
  else acc.push({ title: b.code.split('\n')[0]!, code: b.code });
  return acc;
}, []);

const runnable = (code: string): string => transformSync(code, { loader: 'ts', format: 'esm', target: 'node20' }).code;

const TAG = '@@readme-output-';
/** Tags each console.log that the README annotates with `// → output`; returns the code and the outputs. */
const tagOutputs = (code: string): { code: string; expected: string[] } => {
  const lines = code.split('\n');
  const expected: string[] = [];
  const out = lines.map((line, i) => {
    const same = /\/\/ → (.*)$/.exec(line);
    const next = /^\s*\/\/ → (.*)$/.exec(lines[i + 1] ?? '');
    const want = line.includes('console.log(') ? (same?.[1] ?? next?.[1]) : undefined;
    if (want === undefined) return line;
    expected.push(want.trim());
    return line.replace('console.log(', `console.log('${TAG}${expected.length - 1}',`);
  });
  return { code: out.join('\n'), expected };
};
/** Node prints `[ 1, 2 ]` and `{ a: 1 }`; the README writes `[1, 2]`. */
const normalise = (s: string): string =>
  s
    .replace(/\s+/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1')
    .trim();

/** Checks every tagged line of stdout against the README's annotation, and that each ran. */
const checkOutputs = (stdout: string, expected: readonly string[]): void => {
  const seen = new Set<number>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(TAG)) continue;
    const k = Number(line.slice(TAG.length, line.indexOf(' ')));
    seen.add(k);
    expect(normalise(line.slice(line.indexOf(' ') + 1)), `README output ${k}`).toBe(normalise(expected[k]!));
  }
  expect([...seen].sort((a, b) => a - b)).toEqual(expected.map((_, k) => k));
};

describe('README snippets', () => {
  it('has snippets to run, and outputs they promise', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    expect(snippets.reduce((a, s) => a + tagOutputs(s.code).expected.length, 0)).toBeGreaterThanOrEqual(6);
  });

  it.each(snippets.map((s, i) => [i, s.title, s.code] as const))(
    'snippet %i (%s) runs and prints what the README says',
    (_, __, code) => {
      const dir = mkdtempSync(join(root, '.readme-test-'));
      mkdirSync(join(dir, 'out'));
      writeFileSync(
        join(dir, 'out', 'model.kapri'),
        Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)),
      );
      const file = join(dir, 'snippet.mjs');
      const tagged = tagOutputs(code);
      writeFileSync(file, runnable(tagged.code));
      // Throws (with the snippet's stderr) if the snippet fails.
      try {
        const stdout = execFileSync(process.execPath, [file], {
          cwd: dir,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 170_000,
        });
        checkOutputs(stdout, tagged.expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
