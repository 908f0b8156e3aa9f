/**
 * The documents the code and the README point to are in the repository, and every section they cite
 * exists: "docs/methods.md §3" must lead somewhere.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|mjs|md)$/.test(p) ? [p] : [];
  });
const sources = [join(root, 'README.md'), ...['src', 'bench', 'scripts', 'docs'].flatMap((d) => walk(join(root, d)))];
const methods = readFileSync(join(root, 'docs/methods.md'), 'utf8');
const sections = new Set([...methods.matchAll(/^## §(\d+)/gm)].map((m) => Number(m[1])));

describe('the documents in the repository', () => {
  it('holds every docs/ file the code and the README name', () => {
    const named = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/docs\/[\w-]+\.md/g)].map((m) => ({ file: relative(root, f), doc: m[0] })),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((n) => !existsSync(join(root, n.doc)))).toEqual([]);
  });

  it('has in docs/methods.md every section cited as "methods.md §N"', () => {
    const cited = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/methods\.md\s+§(\d+)/g)].map((m) => ({
        file: relative(root, f),
        section: Number(m[1]),
      })),
    );
    expect(cited.length).toBeGreaterThan(10);
    expect(cited.filter((c) => !sections.has(c.section))).toEqual([]);
  });

  it('ships the license package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string };
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${pkg.license} License`));
  });
});
