/**
 * `kapri bench --browser`: the int8 kernel bench measured in Chromium, written in the same JSON
 * contract as the Node bench. This process serves dist/ (the bundled page of bench/browser/page.ts,
 * its onnxruntime-web worker and the kernel builds), onnxruntime-web's own files (at /ort/) and the
 * end-to-end models' QModel bytes (built here: the hands student needs tfjs) on a loopback port with
 * cross-origin isolation, drives Debian's Chromium through playwright to run the page's sections
 * (kapri's relaxed and baseline kernels; onnxruntime-web on the kernel shapes and on the whole models
 * against kapri's kernel executor), and records the browser and its version in `machine.browser`.
 * Nothing is fetched from the network. What only Node measures (tfjs, onnxruntime-node, the science
 * section) is null, with the reason in the notes.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KapriError } from '../src/core/errors.js';
import type { BenchOptions } from './benchCase.js';
import type { BrowserBenchPart, BrowserBenchRequest, PageModel } from './browser/page.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { benchModels, encodeBenchModel } from './endToEndModels.js';
import { besideKernelRows } from './kernelsOrt.js';
import { RELAXED_IMPL } from './kernelsInt8Relaxed.js';
import type { BenchReport } from './report.js';
import { benchValidity, withFaults } from './validity.js';

/** dist/ of the built package (this file runs as dist/bench/browserBench.js). */
const distRoot = (): string => fileURLToPath(new URL('..', import.meta.url));

/** Where onnxruntime-web's dist files are (a development dependency: null when it is not installed). */
const ortWebDist = (): { dir: string; version: string } | null => {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.mjs'));
    const pkg = JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as { version: string };
    return { dir, version: pkg.version };
  } catch {
    return null;
  }
};

/** The URL path onnxruntime-web's files are served under. */
const ORT_PATH = '/ort/';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>kapri bench</title><script type="module" src="/bench/browser/page.js"></script>';

/** What the server serves besides `root`: onnxruntime-web's dist folder at /ort/, and bytes by path. */
interface Extras {
  readonly ortDir: string | null;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** `path` below `dir`, or null when it would leave it. */
const below = (dir: string, path: string): string | null => {
  const file = join(dir, path);
  return file.startsWith(dir.endsWith(sep) ? dir : dir + sep) ? file : null;
};

/**
 * Serves `root` on 127.0.0.1 (a free port) with COOP/COEP on every response, the bench page at `/`,
 * a 204 for the favicon, and `extras`.
 */
const serve = async (root: string, extras: Extras): Promise<{ server: Server; base: string }> => {
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
    if (path === '/favicon.ico') {
      res.writeHead(204, headers).end();
      return;
    }
    const bytes = extras.files.get(path);
    if (bytes !== undefined) {
      res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
    const ort = path.startsWith(ORT_PATH);
    const file = ort
      ? extras.ortDir === null
        ? null
        : below(extras.ortDir, path.slice(ORT_PATH.length))
      : below(root, path);
    if (file === null) {
      res.writeHead(ort ? 404 : 403, headers).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
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
  const ortWeb = ortWebDist();
  opts.log('models: building the hands student and the MobileNet-style model (the page runs these bytes)');
  const files = new Map<string, Uint8Array>();
  const models: PageModel[] = (await benchModels()).map((m, i) => {
    const url = `/models/${i}.kapri`;
    files.set(url, encodeBenchModel(m));
    return { name: m.name, batch: m.batch, url };
  });
  const { server, base } = await serve(root, { ortDir: ortWeb?.dir ?? null, files });
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
    const request: BrowserBenchRequest = {
      quick: opts.quick,
      threads: opts.threads,
      ortBase: ortWeb === null ? null : `${base}${ORT_PATH}`,
      ortMissing:
        'onnxruntime-web is not installed (it is a development dependency of kapri: npm i -D onnxruntime-web)',
      models,
    };
    const part = (await page.evaluate(
      (o) =>
        (
          globalThis as unknown as {
            kapriBrowserBench: (o: BrowserBenchRequest) => Promise<unknown>;
          }
        ).kapriBrowserBench(o),
      request,
    )) as BrowserBenchPart;
    const version = browser.version();
    const { int8, ortKernels, models: e2e } = part;
    const roofline: BenchReport['roofline'] = {
      int8Gops: int8.roofline,
      f32Gflops: null,
      int8Variants: [...int8.rooflineVariants],
      int8Runs: [...int8.rooflineRuns],
      int8RelaxedGops: int8.relaxedRoofline,
      int8RelaxedVariants: [...int8.relaxedRooflineVariants],
    };
    const cases = [...besideKernelRows(int8.cases, ortKernels.cases), ...e2e.cases];
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
      threads: opts.threads,
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
        modelThreadScalingOrtNode: null,
        modelThreadScalingIdleGapOrtNode: null,
        projectionF32VsTfjs: null,
        trainStepWasmVsCpu: null,
        relaxedVsBaseline: int8.relaxedVsBaseline,
        ...e2e.summary,
        validity: withFaults(benchValidity({ cases, roofline, int8RooflineRuns: int8.rooflineRuns }), [
          ...ortKernels.faults,
          ...e2e.faults,
        ]),
      },
      science: null,
      notes: [
        `measured in Chromium ${version} (${CHROMIUM}, headless, page served from ${base} with cross-origin isolation ${part.crossOriginIsolated ? 'on' : 'off'}); relaxed accumulate-dot probe ${part.relaxedDotAdd ? 'passed' : 'failed'}`,
        `kapri's kernel rows run on one thread in the browser bench (threadScaling and conv2dInt8VsTfjsF32Pooled are null), and Node's model_inference section is not run (modelThreadScaling is null); --threads (${opts.threads} here) is the multi-thread count of the onnxruntime-web rows and of kapri's pool in the model_int8 rows`,
        'tfjs-wasm, f32, train-step and science rows are not run in the browser bench: their ratios are null (kapri bench in Node measures them)',
        ortWeb === null
          ? `${request.ortMissing}: no onnxruntime-web rows, modelVsOrtWeb* are null`
          : `onnxruntime-web ${ortWeb.version} runs in the page from its own files (${ortWeb.dir}, served at ${ORT_PATH}; env.wasm.wasmPaths points there, nothing comes from the network), in a fresh Web Worker per thread count since it fixes its thread count once per realm`,
        'onnxruntime-node is native (MLAS) and does not run in a browser: it has no rows here, and modelVsOrtNode, modelVsOrtNodeOneThread and modelVsOrtNodePooled are null (kapri bench in Node measures it)',
        `in the browser, kapri's kernel rows (kapri-int8-1t, ${RELAXED_IMPL}) time the 7-bit weights of the relaxed-vs-baseline section; the onnxruntime-web kernel rows' one-node models hold the Node bench's 8-bit weights and are checked bit for bit against kapri's baseline kernel on those weights in the page (the baseline kernel runs the same instructions whatever the weights' values)`,
        ...int8.notes,
        ...ortKernels.notes,
        ...e2e.notes,
      ],
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};
