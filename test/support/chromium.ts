/**
 * Debian's Chromium for tests that drive a page through playwright (the test contract of the README): without it
 * such a test is skipped, which KAPRI_REQUIRE_BROWSER=1 turns into a failure at load time.
 */
import { CHROMIUM, haveChromium } from '../../bench/chromium.js';

export { CHROMIUM, CHROMIUM_ARGS, haveChromium } from '../../bench/chromium.js';

/** Throws (failing the test file) when Chromium is missing and KAPRI_REQUIRE_BROWSER=1; `what` names the test. */
export const requireChromiumIfAsked = (what: string): void => {
  if (!haveChromium && process.env['KAPRI_REQUIRE_BROWSER'] === '1')
    throw new Error(`${what} needs Chromium at ${CHROMIUM}`);
};
