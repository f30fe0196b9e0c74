import { ForbiddenError } from '../../shared/errors.js';
import type { ComputerRow } from '../db/models/computers.js';

/** A device may only touch its own record: the `:id` in the path must be the certificate's computer. */
export function requireOwnComputer(computer: ComputerRow | undefined, id: number): ComputerRow {
  if (!computer || computer.id !== id) throw new ForbiddenError('a device may only access its own record');
  return computer;
}
