import { AppError } from '../errors.js';

/** Chunk bytes do not hash to the digest they were stored or sent under. */
export class ChunkDigestMismatchError extends AppError {
  constructor(expected: string, actual: string) {
    super('CHUNK_DIGEST_MISMATCH', `chunk bytes hash to ${actual}, expected ${expected}`, 422, { expected, actual });
  }
}

/** A source tree cannot be packaged: unsupported entry, link leaving the root, unsafe name, or it changed while read. */
export class TreeError extends AppError {
  /** Tree-relative path of the offending entry. */
  readonly path: string;
  constructor(code: 'TREE_UNSUPPORTED_ENTRY' | 'TREE_LINK_ESCAPES' | 'TREE_UNSAFE_PATH' | 'TREE_CHANGED' | 'TREE_INVALID', path: string, message: string) {
    super(code, message, 400, { path });
    this.path = path;
  }
}

/** A manifest is malformed, inconsistent or not signed by the expected key. */
export class ManifestError extends AppError {
  constructor(code: 'MANIFEST_INVALID' | 'MANIFEST_INCONSISTENT' | 'MANIFEST_SIGNATURE_INVALID', message: string, details?: unknown) {
    super(code, message, 422, details);
  }
}

/** A package file is malformed, truncated, corrupted or exceeds a reader limit. */
export class PackageFileError extends AppError {
  constructor(code: 'PACKAGE_FILE_INVALID' | 'PACKAGE_FILE_TRUNCATED' | 'PACKAGE_FILE_CORRUPT' | 'PACKAGE_FILE_TOO_LARGE', message: string) {
    super(code, message, code === 'PACKAGE_FILE_TOO_LARGE' ? 413 : 422);
  }
}
