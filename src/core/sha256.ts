/**
 * SHA-256 of bytes as lowercase hex, with the Web Crypto API that Node ≥ 20 and browsers share: the
 * fingerprints of a run's inputs and artifacts (report.json) are computed the same way everywhere.
 *
 * @example
 * await sha256Hex(new TextEncoder().encode('abc'));
 * // → 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export const sha256Hex = async (bytes: Uint8Array): Promise<string> => {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
};

/** A file as report.json records it: its name, size and SHA-256. */
export interface FileFingerprint {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** The fingerprint of `bytes` under the name `file`. */
export const fingerprint = async (file: string, bytes: Uint8Array): Promise<FileFingerprint> => ({
  file,
  bytes: bytes.length,
  sha256: await sha256Hex(bytes),
});
