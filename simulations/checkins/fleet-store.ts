import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import type { EnrolledDevices } from './fleet-enrollment.js';

/** A `--fleet-dir` that does not hold the fleet this run needs (exit 2; nothing was changed). */
export class FleetDirError extends AppError {
  constructor(message: string) { super('FLEET_DIR_MISMATCH', message, 400); }
}

const FORMAT = 1;
const MANIFEST = 'fleet.json';
const DEVICES = 'devices.txt';
/** A kept fleet is refused when a certificate expires within this margin (a run must not see them expire). */
const EXPIRY_MARGIN_MS = 2 * 86_400_000;

/** What `fleet.json` records: the fleet's size, the coordinator it belongs to and the shared keys. */
interface FleetManifest {
  format: number;
  clients: number;
  /** The coordinator's CA: must equal `coordinator/ca.pem`. */
  caPem: string;
  adminPassword: string;
  keyPem: string;
  onlinePublicKey: string;
  packagePublicKey: string;
  /** The earliest expiry of the devices' certificates (ISO). */
  certificatesExpireAt: string;
  enrolledAt: string;
  enrollSeconds: number;
}

/**
 * One enrolled fleet kept between runs under `<fleet-dir>/<N>/`: the coordinator's data dir
 * (`coordinator/`: SQLite, CA, keys), `devices.txt` (a line per device: computer id, UUID, certificate
 * as base64 DER) and `fleet.json`, written last, so a directory without it is an interrupted enrollment.
 */
export class FleetStore {
  readonly dir: string;
  readonly coordinatorDir: string;

  constructor(root: string, readonly clients: number) {
    this.dir = join(resolve(root), String(clients));
    this.coordinatorDir = join(this.dir, 'coordinator');
  }

  /** Whether a complete fleet is kept here; throws when the directory holds something else or half a fleet. */
  async exists(): Promise<boolean> {
    if (!existsSync(this.dir)) return false;
    if (existsSync(join(this.dir, MANIFEST))) return true;
    const entries = await readdir(this.dir);
    if (entries.length === 0) return false;
    throw new FleetDirError(`${this.dir} holds no ${MANIFEST} (an enrollment was interrupted, or it is not a fleet dir); delete it to enroll ${this.clients} devices again`);
  }

  /** Makes the empty directory a new fleet's coordinator will use. */
  async prepare(): Promise<void> {
    await mkdir(this.coordinatorDir, { recursive: true, mode: 0o700 });
  }

  /** The coordinator's admin password recorded with the fleet (its admin user was created with it). */
  adminPassword(): string {
    return this.manifest().adminPassword;
  }

  /** Keeps an enrolled fleet: the devices first, then the manifest that marks the directory complete. */
  async save(devices: EnrolledDevices, caPem: string, adminPassword: string): Promise<void> {
    const n = devices.computerIds.length;
    let earliest = Infinity;
    const lines: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const cert = new X509Certificate(devices.certPems[i]!);
      earliest = Math.min(earliest, Date.parse(cert.validTo));
      lines[i] = `${devices.computerIds[i]} ${devices.uuids[i]} ${cert.raw.toString('base64')}`;
    }
    await atomicWriteFile(join(this.dir, DEVICES), `${lines.join('\n')}\n`, 0o600);
    const manifest: FleetManifest = {
      format: FORMAT, clients: n, caPem, adminPassword, keyPem: devices.keyPem,
      onlinePublicKey: devices.onlinePublicKey, packagePublicKey: devices.packagePublicKey,
      certificatesExpireAt: new Date(earliest).toISOString(), enrolledAt: new Date().toISOString(), enrollSeconds: devices.seconds,
    };
    await atomicWriteFile(join(this.dir, MANIFEST), JSON.stringify(manifest, null, 1), 0o600);
  }

  /** Loads a kept fleet, refusing one made for another size, another coordinator, or about to expire. */
  load(now = Date.now()): EnrolledDevices & { enrolledAt: string } {
    const m = this.manifest();
    if (m.clients !== this.clients) throw new FleetDirError(`${this.dir} holds a fleet of ${m.clients} devices, not ${this.clients}`);
    const caPath = join(this.coordinatorDir, 'ca.pem');
    if (!existsSync(caPath) || readFileSync(caPath, 'utf8') !== m.caPem) {
      throw new FleetDirError(`${this.dir}: the coordinator data dir's CA (${caPath}) is not the one the devices were enrolled with; delete the directory to enroll again`);
    }
    if (Date.parse(m.certificatesExpireAt) - now < EXPIRY_MARGIN_MS) {
      throw new FleetDirError(`${this.dir}: device certificates expire at ${m.certificatesExpireAt}; delete the directory to enroll again`);
    }
    const lines = readFileSync(join(this.dir, DEVICES), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length !== this.clients) throw new FleetDirError(`${this.dir}/${DEVICES} lists ${lines.length} devices, the manifest ${this.clients}`);
    const computerIds = new Int32Array(this.clients);
    const uuids = new Array<string>(this.clients);
    const certPems = new Array<string>(this.clients);
    for (let i = 0; i < this.clients; i++) {
      const [id, uuid, der] = lines[i]!.split(' ');
      if (!id || !uuid || !der || !Number.isInteger(Number(id))) throw new FleetDirError(`${this.dir}/${DEVICES} line ${i + 1} is not "<computer id> <uuid> <certificate>"`);
      computerIds[i] = Number(id);
      uuids[i] = uuid;
      certPems[i] = `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    }
    return {
      computerIds, uuids, certPems, keyPem: m.keyPem, onlinePublicKey: m.onlinePublicKey, packagePublicKey: m.packagePublicKey,
      seconds: 0, enrolledAt: m.enrolledAt,
    };
  }

  private manifest(): FleetManifest {
    let m: FleetManifest;
    try {
      m = JSON.parse(readFileSync(join(this.dir, MANIFEST), 'utf8')) as FleetManifest;
    } catch (err) {
      throw new FleetDirError(`${this.dir}/${MANIFEST} cannot be read: ${(err as Error).message}`);
    }
    if (m.format !== FORMAT) throw new FleetDirError(`${this.dir}/${MANIFEST} has format ${m.format}, this version reads ${FORMAT}; delete the directory to enroll again`);
    return m;
  }
}
