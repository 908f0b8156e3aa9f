/**
 * Where Debian's Chromium is and how it is launched (TOOLCHAIN.md): the browser bench and the
 * browser tests share this, so both run the same browser the same way.
 */
import { existsSync } from 'node:fs';

/** The Chromium binary (`KAPRI_CHROMIUM` overrides the default /usr/bin/chromium). */
export const CHROMIUM = process.env['KAPRI_CHROMIUM'] ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** No sandbox in the container, and nothing that reaches the network by itself. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
