import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { canonicalJson, sha256 } from '../../shared/digest.js';
import type { Bundle } from '../../shared/schemas/checkin.js';
import { signJson } from '../../shared/signing.js';
import type { ComputerRow } from '../db/models/computers.js';
import { distributionChain, type ChainInputs } from '../segments/distribution-chain.js';
import type { FleetPolicy } from './policy-bundle.js';

/** A bundle with its etag and online-key signature. */
export interface SignedBundle { bundle: Bundle; etag: string; signature: string }

/** Fleet-wide content every bundle is built from. */
export interface BundleInputs { extensionAttributes: { name: string; script: string }[]; policies: FleetPolicy[]; distribution: ChainInputs }

/** Picks the computer's own part of the bundle from the fleet content (scope, run history). */
export type Personalize = (computer: ComputerRow, inputs: BundleInputs) => Promise<Bundle['policies']>;

const INPUT_TTL_MS = 2000;
const MAX_CACHED = 200_000;

/**
 * Builds and signs per-device bundles. Fleet content is reloaded whenever its version stamp changed (a
 * change made through any coordinator sharing the database is seen on the next check-in) and at least
 * every 2 s (activation windows open and close with time); each device's signed bundle is cached under
 * the digest of the content it was built from plus the computer's bundle serial, so a not-modified
 * check-in never evaluates scope.
 */
export class BundleBuilder {
  private inputs?: { at: number; version: string; value: Promise<{ inputs: BundleInputs; digest: string }> };
  private readonly cache = new Map<string, { key: string; signed: SignedBundle }>();

  constructor(
    private readonly load: () => Promise<BundleInputs>,
    /** The fleet content's current version stamp. */
    private readonly version: () => Promise<string>,
    private readonly personalize: Personalize,
    private readonly onlineKey: KeyObject,
    private readonly clock: Clock,
    private readonly inventoryIntervalSeconds: number,
  ) {}

  /** The current signed bundle for a computer. */
  async forComputer(computer: ComputerRow): Promise<SignedBundle> {
    const { inputs, digest } = await this.currentInputs();
    const key = `${digest}/${computer.checkinIntervalSeconds}/${computer.bundleSerial}/${computer.name}/${computer.segmentId}`;
    const cached = this.cache.get(computer.uuid);
    if (cached?.key === key) return cached.signed;
    const bundle: Bundle = {
      computerUuid: computer.uuid,
      checkinIntervalSeconds: computer.checkinIntervalSeconds,
      inventoryIntervalSeconds: this.inventoryIntervalSeconds,
      extensionAttributes: inputs.extensionAttributes,
      computerName: computer.name,
      policies: await this.personalize(computer, inputs),
      distribution: distributionChain(computer.segmentId ?? null, inputs.distribution).sources,
    };
    const signed = { bundle, etag: sha256(canonicalJson(bundle)), signature: signJson(bundle, this.onlineKey) };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(computer.uuid, { key, signed });
    return signed;
  }

  private async currentInputs(): Promise<{ inputs: BundleInputs; digest: string }> {
    const version = await this.version();
    const now = this.clock.now();
    if (!this.inputs || this.inputs.version !== version || now - this.inputs.at > INPUT_TTL_MS) {
      const value = this.load().then((inputs) => ({ inputs, digest: sha256(canonicalJson(inputs)) }));
      const entry = { at: now, version, value };
      value.catch(() => { if (this.inputs === entry) this.inputs = undefined; });
      this.inputs = entry;
    }
    return this.inputs.value;
  }
}
