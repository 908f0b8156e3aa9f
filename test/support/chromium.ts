/**
 * Debian's Chromium for tests that drive a page through playwright (the test contract of the README): without it
 * such a test is skipped, which KAPRI_REQUIRE_BROWSER=1 turns into a failure at load time.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['KAPRI_CHROMIUM'] ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** TOOLCHAIN.md's flags: no sandbox in the container, and nothing that reaches the network by itself. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws (failing the test file) when Chromium is missing and KAPRI_REQUIRE_BROWSER=1; `what` names the test. */
export const requireChromiumIfAsked = (what: string): void => {
  if (!haveChromium && process.env['KAPRI_REQUIRE_BROWSER'] === '1')
    throw new Error(`${what} needs Chromium at ${CHROMIUM}`);
};
