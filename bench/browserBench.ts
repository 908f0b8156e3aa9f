/**
 * `kapri bench --browser`: the int8 kernel bench measured in Chromium, written in the same JSON
 * contract as the Node bench. This process serves dist/ (the bundled page of bench/browser/page.ts
 * and the kernel builds) on a loopback port with cross-origin isolation, drives Debian's Chromium
 * through playwright to run the page's sections, and records the browser and its version in
 * `machine.browser`. Nothing is fetched from the network. What only Node measures (tfjs, the
 * science section) is null, with the reason in the notes.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KapriError } from '../src/core/errors.js';
import type { BenchOptions } from './benchCase.js';
import type { BrowserBenchPart } from './browser/page.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import type { BenchReport } from './report.js';
import { benchValidity } from './validity.js';

/** dist/ of the built package (this file runs as dist/bench/browserBench.js). */
const distRoot = (): string => fileURLToPath(new URL('..', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>kapri bench</title><script type="module" src="/bench/browser/page.js"></script>';

/** Serves `root` on 127.0.0.1 (a free port) with COOP/COEP, and the bench page at `/`. */
const serve = async (root: string): Promise<{ server: Server; base: string }> => {
  const server = createServer(async (req, res) => {
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    };
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path === '/' || path === sep) {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const file = join(root, path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new KapriError('Unsupported', 'the bench server has no port');
  return { server, base: `http://127.0.0.1:${addr.port}` };
};

type Playwright = typeof import('playwright');

const loadPlaywright = async (): Promise<Playwright> => {
  try {
    return (await import(/* @vite-ignore */ 'playwright' as string)) as Playwright;
  } catch {
    throw new KapriError(
      'Unsupported',
      "kapri bench --browser drives Chromium through the 'playwright' package, which is not installed (it is a dev dependency of kapri: npm i -D playwright; it never downloads a browser here)",
    );
  }
};

/** Runs the browser bench (see the file comment). */
export const runBrowserBench = async (opts: BenchOptions): Promise<BenchReport> => {
  if (!existsSync(CHROMIUM)) {
    throw new KapriError(
      'Unsupported',
      `kapri bench --browser needs Chromium at ${CHROMIUM}, which does not exist: install it (apt-get install -y chromium) or set KAPRI_CHROMIUM to its path`,
      { chromium: CHROMIUM },
    );
  }
  const root = distRoot();
  const pageFile = join(root, 'bench', 'browser', 'page.js');
  if (!existsSync(pageFile)) {
    throw new KapriError(
      'Unsupported',
      `the browser bench page is not built (expected ${pageFile}); run 'npm run build' in the kapri package first`,
    );
  }
  const { chromium } = await loadPlaywright();
  const { server, base } = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      const t = m.text();
      opts.log(t.startsWith('bench: ') ? `chromium: ${t.slice(7)}` : `chromium console: ${t}`);
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page
      .waitForFunction(
        () => typeof (globalThis as { kapriBrowserBench?: unknown }).kapriBrowserBench === 'function',
        null,
        {
          timeout: 30_000,
        },
      )
      .catch(() => {
        throw new KapriError(
          'Unsupported',
          `the browser bench page did not start${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`,
        );
      });
    const part = (await page.evaluate(
      (o) =>
        (
          globalThis as unknown as {
            kapriBrowserBench: (o: { quick: boolean; threads: number }) => Promise<unknown>;
          }
        ).kapriBrowserBench(o),
      { quick: opts.quick, threads: opts.threads },
    )) as BrowserBenchPart;
    const version = browser.version();
    const int8 = part.int8;
    const roofline: BenchReport['roofline'] = {
      int8Gops: int8.roofline,
      f32Gflops: null,
      int8Variants: [...int8.rooflineVariants],
      int8Runs: [...int8.rooflineRuns],
    };
    const cases = int8.cases;
    return {
      version: 1,
      date: new Date().toISOString(),
      machine: {
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        cores: part.cores,
        build: part.relaxedDotAdd ? 'relaxed' : 'simd',
        browser: `Chromium ${version}`,
      },
      quick: opts.quick,
      threads: 1,
      cases,
      roofline,
      summary: {
        conv2dInt8VsTfjsF32: null,
        conv2dInt8VsTfjsF32OneThread: null,
        conv2dInt8VsTfjsF32Pooled: null,
        rooflineFraction: int8.rooflineFraction,
        threadScaling: null,
        threadScalingIdleGap: null,
        modelThreadScaling: null,
        modelThreadScalingIdleGap: null,
        projectionF32VsTfjs: null,
        trainStepWasmVsCpu: null,
        relaxedVsBaseline: int8.relaxedVsBaseline,
        modelVsOrtWeb: null,
        modelVsOrtWebOneThread: null,
        modelVsOrtWebPooled: null,
        modelVsOrtNode: null,
        modelVsOrtNodeOneThread: null,
        modelVsOrtNodePooled: null,
        validity: benchValidity({ cases, roofline, int8RooflineRuns: int8.rooflineRuns }),
      },
      science: null,
      notes: [
        `measured in Chromium ${version} (${CHROMIUM}, headless, page served from ${base} with cross-origin isolation ${part.crossOriginIsolated ? 'on' : 'off'}); relaxed accumulate-dot probe ${part.relaxedDotAdd ? 'passed' : 'failed'}`,
        'one thread only in the browser bench: --threads is not used, threadScaling and the pooled ratios are null',
        'tfjs-wasm, f32, train-step and science rows are not run in the browser bench: their ratios are null (kapri bench in Node measures them)',
        'onnxruntime-web is not yet run in the page: the model_int8 rows and modelVsOrt* are null here (kapri bench in Node measures onnxruntime-web in Node and onnxruntime-node)',
        ...int8.notes,
      ],
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};
