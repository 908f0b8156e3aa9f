/**
 * The browser example page itself, served with COOP/COEP by examples/browser/serve.mjs and driven in
 * Chromium through playwright: it loads a model.kapri by URL, runs it on the kernels (threads, as the
 * page is cross-origin isolated) and shows the bits Node computes. Needs /usr/bin/chromium (CI installs
 * it); without it the test is skipped, which KAPRI_REQUIRE_BROWSER=1 turns into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };
import { bits } from '../support/values.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium, requireChromiumIfAsked } from '../support/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
requireChromiumIfAsked('the browser page test');

let server: ChildProcess | null = null;
let base = '';
let modelDir = '';

beforeAll(async () => {
  if (!haveChromium) return;
  // The model is served from a temporary folder inside the served root (the repository).
  modelDir = mkdtempSync(join(root, '.page-test-'));
  writeFileSync(
    join(modelDir, 'model.kapri'),
    Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)),
  );
  server = spawn(process.execPath, ['examples/browser/serve.mjs', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    server!.stdout!.on('data', (d: Buffer) => {
      const m = /on (http:\/\/[^/]+)\//.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    server!.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
});

afterAll(() => {
  server?.kill();
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

describe.skipIf(!haveChromium)('the browser example page', () => {
  it('loads a model.kapri by URL and shows the outputs Node computes, bit for bit, on the threads build', async () => {
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      const dir = `/${modelDir.slice(root.length).replace(/\\/g, '/').replace(/^\//, '')}`;
      await page.goto(`${base}/examples/browser/?model=${dir}/model.kapri`);
      await page.waitForFunction(() => (globalThis as { kapriResult?: unknown }).kapriResult !== undefined, null, {
        timeout: 60_000,
      });
      const r = await page.evaluate(() => {
        const x = (
          globalThis as unknown as {
            kapriResult: {
              error?: string;
              build: string;
              threads: number;
              isolated: boolean;
              outputs: Record<string, Float32Array>;
            };
          }
        ).kapriResult;
        return x.error
          ? { error: x.error }
          : {
              build: x.build,
              threads: x.threads,
              isolated: x.isolated,
              output: Array.from(x.outputs['output']!),
              feature: Array.from(x.outputs['feature']!),
            };
      });
      expect(r).not.toHaveProperty('error');
      expect(r).toMatchObject({ isolated: true, build: 'threads' });
      expect(bits((r as { output: number[] }).output)).toEqual(golden.output);
      expect(bits((r as { feature: number[] }).feature)).toEqual(golden.feature);
      expect(await page.textContent('#out')).toMatch(
        /model student: 63 outputs, [\d.]+ ms per inference on the 'threads' kernels/,
      );
    } finally {
      await browser.close();
    }
  }, 120_000);
});
