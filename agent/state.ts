import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StateError } from '../shared/errors.js';
import { atomicWriteFile } from '../shared/fs/atomic-write.js';
import { Bundle } from '../shared/schemas/checkin.js';

/** Default state directory of a real install. */
export const DEFAULT_STATE_DIR = '/var/lib/homing';

/** What the agent remembers between runs (identity files live beside it). */
export const AgentState = z.object({
  computerId: z.number().int(),
  uuid: z.string(),
  coordinatorUrls: z.array(z.string()).min(1),
  onlinePublicKey: z.string(),
  packagePublicKey: z.string(),
  checkinIntervalSeconds: z.number().int(),
  /** Seconds into each interval at which this computer checks in (picked once at enrollment). */
  phaseSeconds: z.number().min(0),
  root: z.string(),
  /** Local address outgoing sockets bind to (`enroll --bind`), kept for every later command. */
  localAddress: z.string().optional(),
  etag: z.string().optional(),
  bundle: Bundle.optional(),
  bundleSignature: z.string().optional(),
  inventoryDigests: z.record(z.string(), z.string()).optional(),
  lastCheckinAt: z.number().optional(),
  lastInventoryAt: z.number().optional(),
});
export type AgentState = z.infer<typeof AgentState>;

/** The agent's private key, certificate and pinned CA. */
export interface Identity { key: string; cert: string; ca: string }

/** Reads and writes the state dir: `state.json`, `key.pem` (0600), `cert.pem`, `ca.pem`. */
export class StateStore {
  constructor(readonly dir: string) {}

  /** True when this state dir holds an enrollment. */
  async isEnrolled(): Promise<boolean> {
    try { await readFile(join(this.dir, 'state.json')); return true; } catch { return false; }
  }

  async load(): Promise<AgentState> {
    let text: string;
    try { text = await readFile(join(this.dir, 'state.json'), 'utf8'); } catch {
      throw new StateError('NOT_ENROLLED', `this computer is not enrolled (no state in ${this.dir}); run "homing agent enroll" first`);
    }
    const parsed = AgentState.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StateError('STATE_CORRUPT', `agent state in ${this.dir} is unreadable; re-enroll with a new token`);
    return parsed.data;
  }

  async save(state: AgentState): Promise<void> {
    await atomicWriteFile(join(this.dir, 'state.json'), JSON.stringify(state, null, 2), 0o600);
  }

  async loadIdentity(): Promise<Identity> {
    await this.finishIdentityReplacement();
    try {
      const [key, cert, ca] = await Promise.all(['key.pem', 'cert.pem', 'ca.pem'].map((f) => readFile(join(this.dir, f), 'utf8')));
      return { key: key!, cert: cert!, ca: ca! };
    } catch {
      throw new StateError('IDENTITY_MISSING', `device identity in ${this.dir} is missing; re-enroll with a new token`);
    }
  }

  /**
   * Replaces key and certificate after a renewal: both are written as `*.next` first (key first), then renamed into
   * place, so a crash leaves either the old pair, or a complete new pair that the next load finishes installing.
   */
  async replaceIdentity(key: string, cert: string): Promise<void> {
    await atomicWriteFile(join(this.dir, 'key.pem.next'), key, 0o600);
    await atomicWriteFile(join(this.dir, 'cert.pem.next'), cert, 0o644);
    await this.finishIdentityReplacement();
  }

  // cert.pem.next exists only once key.pem.next is complete; a lone key.pem.next is an unfinished renewal.
  private async finishIdentityReplacement(): Promise<void> {
    const next = (f: string) => join(this.dir, `${f}.next`);
    const hasCert = await stat(next('cert.pem')).then(() => true, () => false);
    if (!hasCert) { await rm(next('key.pem'), { force: true }); return; }
    await rename(next('key.pem'), join(this.dir, 'key.pem')).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
    await rename(next('cert.pem'), join(this.dir, 'cert.pem'));
  }

  /** Writes identity and state; the state file last, so a crash mid-way leaves "not enrolled". */
  async saveEnrollment(identity: Identity, state: AgentState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await atomicWriteFile(join(this.dir, 'key.pem'), identity.key, 0o600);
    await atomicWriteFile(join(this.dir, 'cert.pem'), identity.cert, 0o644);
    await atomicWriteFile(join(this.dir, 'ca.pem'), identity.ca, 0o644);
    await this.save(state);
  }
}
