import { AppError } from '../../shared/errors.js';

/** Why a package could not be fetched, installed or removed. */
export type PackageInstallCode =
  | 'PACKAGE_ROLLBACK' | 'MANIFEST_MIXED' | 'PAYLOAD_MISMATCH' | 'ARCHIVE_UNSAFE' | 'ARCHIVE_MISMATCH' | 'ARCHIVE_TOO_LARGE'
  | 'TARGET_UNSAFE' | 'SCRIPT_FAILED' | 'NOT_CACHED' | 'NO_SOURCE';

/** A package fetch, install or removal failed; nothing outside the staging dir was changed unless the code says otherwise. */
export class PackageInstallError extends AppError {
  constructor(code: PackageInstallCode, message: string) { super(code, message, 422); }
}
