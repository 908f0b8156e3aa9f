/**
 * Two projects: `node` (everything under test/ but test/browser) and `browser` (test/browser in
 * Debian's Chromium through playwright). Without /usr/bin/chromium the browser project is skipped
 * with a printed reason, counted as skipped in the closing summary line (one per test file), and that
 * is an error when KAPRI_REQUIRE_BROWSER=1.
 */
import { readdirSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from './test/support/chromium.js';

const requireBrowser = process.env['KAPRI_REQUIRE_BROWSER'] === '1';

const browserFiles = readdirSync('test/browser').filter((f) => f.endsWith('.test.ts'));
const skippedProjects: { name: string; files: number; reason: string }[] = [];
if (!haveChromium) {
  const reason = `kapri: browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (requireBrowser) throw new Error(`${reason}; KAPRI_REQUIRE_BROWSER=1 makes its absence a failure.`);
  console.warn(`${reason}; skipping the browser project.`);
  skippedProjects.push({ name: 'browser', files: browserFiles.length, reason });
}

const nodeProject: TestProjectInlineConfiguration = {
  test: {
    name: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
};

const browserProject: TestProjectInlineConfiguration = {
  server: {
    // Cross-origin isolation, so that SharedArrayBuffer and the threads build are available.
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

export default defineConfig({
  test: {
    reporters: ['default', ['./test/support/summaryReporter.ts', { skippedProjects }]],
    projects: haveChromium ? [nodeProject, browserProject] : [nodeProject],
  },
});
