/** kapri's version (test/package checks it against package.json, so the two cannot drift). */
export const KAPRI_VERSION = '0.1.0';
