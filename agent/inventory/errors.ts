import { AppError } from '../../shared/errors.js';

/** An external command used for inventory (dpkg-query, rpm, …) is missing, failed or timed out. */
export class CommandError extends AppError {
  constructor(code: 'COMMAND_NOT_FOUND' | 'COMMAND_FAILED' | 'COMMAND_TIMEOUT', message: string) {
    super(code, message, 500);
  }
}

/** Codes an extension attribute script can fail with. */
export type ExtensionAttributeErrorCode =
  | 'EA_NO_SHEBANG' | 'EA_SPAWN_FAILED' | 'EA_TIMEOUT' | 'EA_OUTPUT_TOO_LARGE' | 'EA_EXIT_STATUS';

/** One extension attribute script failed; the collector turns this into an empty value and a warning. */
export class ExtensionAttributeError extends AppError {
  constructor(code: ExtensionAttributeErrorCode, message: string) { super(code, message, 500); }
}

/** The collected inventory did not satisfy the shared schema (a bug in the collector, not the host). */
export class InventoryInvalidError extends AppError {
  constructor(details: unknown) { super('INVENTORY_INVALID', 'collected inventory does not match the schema', 500, details); }
}
