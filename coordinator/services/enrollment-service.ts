import { randomBytes, randomUUID } from 'node:crypto';
import { col, literal, Op } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/digest.js';
import { InvalidTokenError } from '../../shared/errors.js';
import type { EnrollResponse } from '../../shared/schemas/enrollment.js';
import type { Database } from '../db/database.js';
import type { KeyMaterial } from '../pki/key-material.js';
import type { ComputerService } from './computer-service.js';

/** Settings enrollment hands to new devices. */
export interface EnrollmentSettings { coordinatorUrls: string[]; checkinIntervalSeconds: number; certificateDays: number }

/** One-time enrollment tokens and the trade of token + CSR for a device certificate. */
export class EnrollmentService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly keys: KeyMaterial,
    private readonly computers: ComputerService,
    private readonly settings: EnrollmentSettings,
  ) {}

  /** Creates a token usable `uses` times until it expires; only its hash is stored. */
  async createToken(uses: number, expiresInSeconds: number, createdBy: string) {
    const token = `hom_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    const expiresAt = new Date(now + expiresInSeconds * 1000);
    await this.db.write((transaction) => this.db.models.EnrollmentToken.create({
      tokenHash: sha256Hex(token), uses, expiresAt, createdBy, createdAt: new Date(now),
    }, { transaction }));
    return { token, expiresAt: expiresAt.toISOString(), uses };
  }

  /**
   * Consumes one use of the token atomically and issues a certificate for the CSR.
   * The certificate is signed before the token is consumed (signing needs no lock), and the token
   * is consumed in the same transaction that records the computer, so N parallel uses of a
   * one-use token yield exactly one managed computer.
   */
  async enroll(token: string, csrPem: string, name: string | undefined, ip: string): Promise<EnrollResponse> {
    const tokenHash = sha256Hex(token);
    await this.requireUsable(tokenHash);
    const uuid = randomUUID();
    const issued = await this.keys.ca.signCsr(csrPem, uuid, 'device', this.settings.certificateDays);
    const { EnrollmentToken, Computer } = this.db.models;
    const computerId = await this.db.write(async (transaction) => {
      const now = new Date(this.clock.now());
      const [consumed] = await EnrollmentToken.update(
        { used: literal('used + 1') as unknown as number },
        { where: { tokenHash, used: { [Op.lt]: col('uses') }, expiresAt: { [Op.gt]: now } }, transaction },
      );
      if (consumed !== 1) throw new InvalidTokenError('enrollment token is used up or expired');
      const row = await Computer.create({
        uuid, name: name ?? '', serial: '', model: '', osName: '', osVersion: '', ipAddress: ip, username: '',
        certSerial: issued.serial, certNotAfter: issued.notAfter, status: 'managed',
        checkinIntervalSeconds: this.settings.checkinIntervalSeconds, enrolledAt: now,
      }, { transaction });
      await this.computers.addHistory(row.id, 'enrolled', `enrolled from ${ip}, certificate ${issued.serial}`, transaction);
      return row.id;
    });
    return {
      computerId, uuid, certificate: issued.certPem, caCertificate: this.keys.ca.certPem,
      onlinePublicKey: this.keys.onlinePublicPem, packagePublicKey: this.keys.packagePublicPem,
      coordinatorUrls: this.settings.coordinatorUrls, checkinIntervalSeconds: this.settings.checkinIntervalSeconds,
    };
  }

  /** Cheap read before the expensive signing: says exactly why a token cannot be used. */
  private async requireUsable(tokenHash: string): Promise<void> {
    const row = await this.db.models.EnrollmentToken.findOne({ where: { tokenHash } });
    if (!row) throw new InvalidTokenError('enrollment token is not known to this coordinator');
    if (row.expiresAt.getTime() <= this.clock.now()) throw new InvalidTokenError('enrollment token has expired');
    if (row.used >= row.uses) throw new InvalidTokenError('enrollment token is used up');
  }
}
