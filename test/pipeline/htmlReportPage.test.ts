/**
 * report.html as a person sees it, in Chromium through playwright, with JavaScript off and every
 * request but the page itself refused: no two text labels overlap, every axis tick lies in the valid
 * range of what the axis measures, no "NaN", "undefined" or "null" anywhere, and the first screen
 * (1280 × 800) shows what it promises. Rendered from fixtures, so no pipeline runs. Screenshots go to
 * test-screenshots/ (gitignored) for a person to look at. Skipped without /usr/bin/chromium, which
 * KAPRI_REQUIRE_BROWSER=1 turns into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright';
import { renderHtmlReport } from '../../src/pipeline/htmlReport.js';
import type { Report } from '../../src/pipeline/report.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium, requireChromiumIfAsked } from '../support/chromium.js';
import { edgeReport, gaussReport } from '../support/reportFixtures.js';

requireChromiumIfAsked('the report page test');

const root = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(root, 'test-screenshots');
const VIEWPORT = { width: 1280, height: 800 };

const CASES: [string, () => Report][] = [
  ['gauss5', gaussReport],
  ['edge', () => edgeReport()],
];

let browser: Browser | null = null;
let dir = '';
const files: Record<string, string> = {};

beforeAll(async () => {
  if (!haveChromium) return;
  dir = mkdtempSync(join(tmpdir(), 'kapri-report-page-'));
  for (const [name, make] of CASES) {
    files[name] = join(dir, `${name}.html`);
    writeFileSync(files[name]!, await renderHtmlReport(make(), null));
  }
  const { chromium } = await import('playwright');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--headless'] });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The page, offline: JavaScript off, and every request other than the page's own file refused and counted. */
const open = async (name: string): Promise<{ page: Page; refused: string[] }> => {
  const context = await browser!.newContext({ viewport: VIEWPORT, javaScriptEnabled: false });
  const url = pathToFileURL(files[name]!).href;
  const refused: string[] = [];
  await context.route('**', (route) => {
    if (route.request().url() === url) return route.continue();
    refused.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(url);
  return { page, refused };
};

interface Box {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Every non-empty SVG text of each chart, with its box on the page; `page.evaluate` runs without page scripts. */
const chartTexts = (page: Page): Promise<{ id: string; svg: Box; texts: Box[] }[]> =>
  page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const box = (e: Element, text = '') => {
        const b = e.getBoundingClientRect();
        return { text, x: b.x, y: b.y, w: b.width, h: b.height };
      };
      return {
        id: f.id,
        svg: box(f.querySelector('svg')!),
        texts: [...f.querySelectorAll('svg text')]
          .filter((t) => (t.textContent ?? '').trim() !== '')
          .map((t) => box(t, t.textContent!)),
      };
    }),
  );

/** Tick labels of each numeric axis that declares a valid range. */
const axisTicks = (page: Page) =>
  page.$$eval('figure.chart', (figs) =>
    figs.flatMap((f) =>
      [...f.querySelectorAll('g.role-axis[aria-label]')].flatMap((axis) => {
        const dim = (axis.getAttribute('aria-label') ?? '').startsWith('X') ? 'x' : 'y';
        const valid = f.getAttribute(`data-valid-${dim}`);
        if (valid === null) return [];
        const labels = [...axis.querySelectorAll('.role-axis-label text')].map((t) => t.textContent ?? '');
        return [{ id: f.id, dim, valid: JSON.parse(valid) as [number | null, number | null], labels }];
      }),
    ),
  );

const overlap = (a: Box, b: Box, tolerance = 0.5): boolean =>
  a.x + tolerance < b.x + b.w &&
  b.x + tolerance < a.x + a.w &&
  a.y + tolerance < b.y + b.h &&
  b.y + tolerance < a.y + a.h;

/** A tick label as a number: d3-format writes a typographic minus and thousands commas. */
const tickValue = (s: string): number => Number(s.replace(/\u2212/g, '-').replace(/,/g, ''));

describe.skipIf(!haveChromium)('report.html in Chromium', () => {
  describe.each(CASES.map(([name]) => name))('the %s report', (name) => {
    it('loads nothing but itself and needs no script', async () => {
      const { page, refused } = await open(name);
      expect(refused).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(6);
      await page.context().close();
    });

    it('prints no NaN, undefined or null', async () => {
      const { page } = await open(name);
      const text = await page.evaluate(() => document.body.textContent ?? '');
      expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|Infinity/);
      await page.context().close();
    });

    it('has no two text labels of a chart overlapping, and none outside its chart', async () => {
      const { page } = await open(name);
      const charts = await chartTexts(page);
      expect(charts.length).toBeGreaterThanOrEqual(6);
      for (const c of charts) {
        expect(c.texts.length, c.id).toBeGreaterThan(3);
        const clashes = c.texts.flatMap((a, i) =>
          c.texts.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${c.id}: "${a.text}" × "${b.text}"`] : [])),
        );
        expect(clashes).toEqual([]);
        const outside = c.texts.filter(
          (t) =>
            t.x < c.svg.x - 0.5 ||
            t.y < c.svg.y - 0.5 ||
            t.x + t.w > c.svg.x + c.svg.w + 0.5 ||
            t.y + t.h > c.svg.y + c.svg.h + 0.5,
        );
        expect(outside.map((t) => `${c.id}: ${t.text}`)).toEqual([]);
      }
      await page.context().close();
    });

    it('keeps every axis tick inside the valid range of its quantity, with at least two ticks', async () => {
      const { page } = await open(name);
      const axes = await axisTicks(page);
      expect(axes.length).toBeGreaterThanOrEqual(12);
      for (const a of axes) {
        const values = a.labels.map(tickValue);
        expect(values.length, `${a.id} ${a.dim}`).toBeGreaterThanOrEqual(2);
        for (const v of values) {
          expect(Number.isFinite(v), `${a.id} ${a.dim}: ${v}`).toBe(true);
          if (a.valid[0] !== null) expect(v, `${a.id} ${a.dim}`).toBeGreaterThanOrEqual(a.valid[0]);
          if (a.valid[1] !== null) expect(v, `${a.id} ${a.dim}`).toBeLessThanOrEqual(a.valid[1]);
        }
        expect(new Set(a.labels).size, `${a.id} ${a.dim}: repeated ticks ${a.labels}`).toBe(a.labels.length);
      }
      await page.context().close();
    });

    /*
     * The first screen, 1280 × 800, must show: the title; the flags box when the report raises flags;
     * the headline sentence (kap against fine-tuning, in words); the whole methods table, every method
     * a row; and the whole paired-differences chart. A screenshot is kept for a person to look at.
     */
    it('shows the methods table and the paired differences on the first screen', async () => {
      const { page } = await open(name);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `report-${name}-first-screen.png`) });
      const inView = async (selector: string) => {
        const b = await page.locator(selector).boundingBox();
        expect(b, selector).not.toBeNull();
        expect(b!.x, selector).toBeGreaterThanOrEqual(0);
        expect(b!.y, selector).toBeGreaterThanOrEqual(0);
        expect(b!.x + b!.width, selector).toBeLessThanOrEqual(VIEWPORT.width);
        expect(b!.y + b!.height, selector).toBeLessThanOrEqual(VIEWPORT.height);
      };
      await inView('h1');
      await inView('.headline');
      await inView('#methods-table');
      await inView('#paired-differences svg');
      const flags = await page.locator('#flags').count();
      if (flags) await inView('#flags');
      const rows = await page.locator('#methods-table tbody tr').count();
      expect(rows).toBe(6);
      await page.context().close();
    });
  });

  it('says on the first screen what makes the edge report mean less', async () => {
    const { page } = await open('edge');
    const flags = await page.locator('#flags li').evaluateAll((li) => li.map((l) => l.getAttribute('data-flag')));
    expect(flags).toEqual(['tie', 'teacherBelowStudent', 'oneSeed']);
    const ci = await page.locator('#methods-table tbody tr:nth-child(3) td.ci').allTextContents();
    expect(ci).toEqual(['–', '–']);
    await page.context().close();
  });
});
