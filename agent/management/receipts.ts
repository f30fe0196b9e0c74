/** A file a package installed, as its receipt records it. */
export interface ReceiptFile { path: string; sha256: string; mode: number }

/** What verifying one installed package found. */
export interface ReceiptCheck { packageName: string; version: string; missing: string[]; modified: string[] }

/**
 * The seam to the packages feature (agent/packages/, being built): installed-package receipts, their verification
 * against the file list, and repair from the cached signed package. Until it is wired in, receipt maintenance tasks
 * report that receipts are unavailable.
 */
export interface ReceiptStore {
  /** Every installed package checked against its receipt (missing or changed files). */
  verify(signal?: AbortSignal): Promise<ReceiptCheck[]>;
  /** Restores the listed files of one package from its verified content; resolves with the paths restored. */
  repair(check: ReceiptCheck, signal?: AbortSignal): Promise<string[]>;
}
