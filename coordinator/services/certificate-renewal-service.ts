import { ConflictError } from '../../shared/errors.js';
import type { RenewResponse } from '../../shared/schemas/management.js';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { KeyMaterial } from '../pki/key-material.js';
import type { ComputerService } from './computer-service.js';

/** Device certificate renewal over mTLS: a new certificate for a new key; the old serial is retired in the same write. */
export class CertificateRenewalService {
  constructor(
    private readonly db: Database,
    private readonly keys: KeyMaterial,
    private readonly computers: ComputerService,
    private readonly certificateDays: number,
  ) {}

  /**
   * Signs the CSR for the computer's UUID and swaps the stored serial only if it is still the one the request
   * authenticated with, so two concurrent renewals cannot both succeed and the old certificate stops working at once.
   */
  async renew(computer: ComputerRow, csrPem: string): Promise<RenewResponse> {
    const issued = await this.keys.ca.signCsr(csrPem, computer.uuid, 'device', this.certificateDays);
    await this.db.write(async (transaction) => {
      const [swapped] = await this.db.models.Computer.update(
        { certSerial: issued.serial, certNotAfter: issued.notAfter },
        { where: { id: computer.id, certSerial: computer.certSerial, status: 'managed' }, transaction },
      );
      if (swapped !== 1) throw new ConflictError('the certificate was renewed or revoked meanwhile; use the current one or re-enroll');
      await this.computers.addHistory(computer.id, 'certificate-renewed', `certificate ${computer.certSerial} retired, ${issued.serial} issued`, transaction);
    });
    return { certificate: issued.certPem, notAfter: issued.notAfter.toISOString() };
  }

  /** How the coordinator sees the calling device's identity. */
  identity(computer: ComputerRow) {
    return {
      computerId: computer.id, uuid: computer.uuid, status: computer.status, certificateSerial: computer.certSerial,
      certificateNotAfter: computer.certNotAfter.toISOString()
    };
  }
}
