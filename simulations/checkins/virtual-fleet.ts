import type { KeyObject } from 'node:crypto';
import { verifiedBundle } from '../../agent/checkin.js';
import { backoffDelay, nextCheckinAt, pickPhase } from '../../agent/schedule.js';
import { CheckinResponse } from '../../shared/schemas/checkin.js';
import { PolicyResultsResponse, type PolicyResult } from '../../shared/schemas/policy-results.js';
import { publicKeyFromPem } from '../../shared/signing.js';
import type { CheckinMetrics } from './checkin-metrics.js';
import { DeviceConnection, type ConnectionTarget, type DeviceAnswer } from './device-connection.js';
import type { EnrolledDevices } from './fleet-enrollment.js';
import { IdleCollector } from './idle-collector.js';
import { TimerHeap } from './timer-heap.js';

/** How a fleet runs. */
export interface FleetOptions {
  target: ConnectionTarget;
  devices: EnrolledDevices;
  /** Simulated seconds per real second. */
  speedup: number;
  /** Check-in interval until the coordinator's answers say otherwise (from enrollment). */
  intervalSeconds: number;
  /** Server TLS session lifetime: older sessions are not offered (an expired ticket gets a full handshake anyway). */
  ticketLifetimeSeconds: number;
  metrics: CheckinMetrics;
  /**
   * Most visits in progress at once. Devices due beyond it wait (their late start is measured), so a slow
   * moment cannot snowball into thousands of open sockets (EMFILE) and a run says when the simulator,
   * not the coordinator, fell behind.
   */
  maxVisiting?: number;
}

/** Default cap on visits in progress: far above the steady rate of 100,000 devices (~56/s, each a few ms). */
const MAX_VISITING = 512;
/** Visits between the simulator's own full garbage collections (V8 ran one every ~600 at 6,000 clients ×20). */
const GC_EVERY_VISITS = 300;

/** Called after each successful check-in of a device, at simulated time `at` (ms). */
export type CheckinListener = (device: number, at: number, modified: boolean) => void;

class ShedError extends Error {
  constructor(readonly retryAfterSeconds: number | undefined) { super('shed'); }
}

/**
 * Virtual agents: per device a computer id, a certificate, the held etag, a TLS session and its
 * phase, kept in parallel arrays; one process timer fires whichever is due. Each visit does what
 * the agent's check-in does — deliver queued policy results, then POST the check-in with the held
 * etag, verify a new bundle's signature and keep its etag — and schedules the next one with the
 * agent's own `nextCheckinAt` (phase + jitter) or, on failure, `backoffDelay` (full jitter,
 * honouring Retry-After). Simulated time runs `speedup` times faster than the wall clock.
 */
export class VirtualFleet {
  readonly size: number;
  private readonly etags: (string | undefined)[];
  private readonly sessions: (Buffer | undefined)[];
  private readonly sessionAt: Float64Array;
  private readonly phase: Float64Array;
  private readonly attempts: Uint8Array;
  private readonly pendingResults: Uint8Array;
  private readonly resultSeq: Uint16Array;
  private readonly heap: TimerHeap;
  private readonly onlineKey: KeyObject;
  private interval: number;
  private t0 = performance.now();
  private timer?: NodeJS.Timeout;
  private armedAt = Infinity;
  private running = false;
  private inFlight = 0;
  private idle?: () => void;
  private readonly listeners: CheckinListener[] = [];
  private policyId = 0;
  private readonly collector = new IdleCollector(GC_EVERY_VISITS);

  constructor(private readonly opts: FleetOptions) {
    const n = opts.devices.computerIds.length;
    this.size = n;
    this.etags = new Array<string | undefined>(n).fill(undefined);
    this.sessions = new Array<Buffer | undefined>(n).fill(undefined);
    this.sessionAt = new Float64Array(n).fill(-Infinity);
    this.phase = new Float64Array(n);
    this.attempts = new Uint8Array(n);
    this.pendingResults = new Uint8Array(n);
    this.resultSeq = new Uint16Array(n);
    this.heap = new TimerHeap(n);
    this.onlineKey = publicKeyFromPem(opts.devices.onlinePublicKey);
    this.interval = opts.intervalSeconds;
    for (let i = 0; i < n; i++) this.phase[i] = pickPhase(this.interval);
  }

  /** Simulated milliseconds since the fleet's clock started. */
  now(): number { return (performance.now() - this.t0) * this.opts.speedup; }

  /** The check-in interval the coordinator last advised. */
  get intervalSeconds(): number { return this.interval; }

  /** Visits in progress. */
  get visiting(): number { return this.inFlight; }

  /** Devices waiting for their timer. */
  get scheduled(): number { return this.heap.length; }

  onCheckin(listener: CheckinListener): void { this.listeners.push(listener); }

  /** Restarts the simulated clock at 0 (scheduled times are relative to it); sessions keep their age. */
  resetClock(): void {
    const shift = this.now();
    for (let i = 0; i < this.size; i++) this.sessionAt[i] = this.sessionAt[i]! - shift;
    this.t0 = performance.now();
  }

  /** Queues one policy result on `device` (a run done while the coordinator was unreachable). */
  queueResult(device: number, policyId: number): void {
    this.policyId = policyId;
    this.pendingResults[device] = Math.min(50, this.pendingResults[device]! + 1);
  }

  /** Devices with results not yet acknowledged. */
  undelivered(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) n += this.pendingResults[i]!;
    return n;
  }

  /** Forgets every TLS session (e.g. the coordinator restarted with new ticket keys). */
  dropSessions(): void {
    this.sessions.fill(undefined);
    this.sessionAt.fill(-Infinity);
  }

  /**
   * Schedules each device at its own phase within the next interval (steady state). In a running fleet
   * the session a device offers is from its previous check-in, one interval earlier, so its age is set
   * to that: how long priming took in compressed time (minutes for 100,000 devices) must not age it.
   */
  scheduleAtPhases(): void {
    const now = this.now();
    for (let i = 0; i < this.size; i++) {
      const at = nextCheckinAt(now, this.interval, this.phase[i]!);
      if (this.sessions[i]) this.sessionAt[i] = at - this.interval * 1000;
      this.heap.push(i, at);
    }
    this.arm();
  }

  /** Schedules every device at a uniformly random time in the next `windowSeconds` (a herd returning). */
  scheduleWithin(windowSeconds: number): void {
    const now = this.now();
    for (let i = 0; i < this.size; i++) this.heap.push(i, now + Math.random() * windowSeconds * 1000);
    this.arm();
  }

  /** Starts firing timers. */
  start(): void {
    this.running = true;
    this.arm();
  }

  /** Stops firing timers and waits for visits in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    if (this.inFlight) await new Promise<void>((resolve) => { this.idle = resolve; });
  }

  /** Checks every device in once, `concurrency` at a time, outside the timer (priming etags and sessions). */
  async visitAll(concurrency: number, onDone: (done: number) => void): Promise<void> {
    let next = 0;
    let done = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, this.size) }, async () => {
      while (next < this.size) {
        const i = next++;
        if (!(await this.visit(i))) throw new Error(`priming check-in of device ${i} failed: ${[...this.opts.metrics.errorMessages.keys()].at(-1) ?? 'shed'}`);
        onDone(++done);
      }
    }));
  }

  private arm(): void {
    if (!this.running) return;
    const due = this.heap.peekTime();
    if (due >= this.armedAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = due;
    if (due === Infinity) { this.timer = undefined; return; }
    this.timer = setTimeout(() => this.fire(), Math.max(0, (due - this.now()) / this.opts.speedup));
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.now();
    const max = this.opts.maxVisiting ?? MAX_VISITING;
    while (this.running && this.inFlight < max && this.heap.peekTime() <= now) {
      this.opts.metrics.started((now - this.heap.peekTime()) / this.opts.speedup);
      const device = this.heap.pop();
      void this.visit(device).then((ok) => this.reschedule(device, ok));
    }
    // Devices still due wait for a visit to end (reschedule re-arms); otherwise sleep until the next is due.
    if (this.inFlight < max) this.arm();
  }

  private reschedule(device: number, ok: boolean | ShedError | Error): void {
    if (!this.running) return;
    const now = this.now();
    let at: number;
    if (ok === true) {
      at = nextCheckinAt(now, this.interval, this.phase[device]!);
    } else {
      const retryAfterSeconds = ok instanceof ShedError ? ok.retryAfterSeconds : undefined;
      at = now + backoffDelay(this.attempts[device]!, { capMs: this.interval * 1000, retryAfterSeconds });
      this.attempts[device] = Math.min(250, this.attempts[device]! + 1);
    }
    // A session that will have expired by the next visit is dead weight: 100,000 of them would be ~200 MB.
    if (at - this.sessionAt[device]! >= this.opts.ticketLifetimeSeconds * 1000) this.sessions[device] = undefined;
    this.heap.push(device, at);
    if (this.heap.peekTime() <= now) this.fire();
    else this.arm();
  }

  /** One visit; true when the check-in succeeded, else the shed answer or the error. */
  private async visit(i: number): Promise<true | ShedError | Error> {
    this.inFlight++;
    const { metrics, devices, ticketLifetimeSeconds } = this.opts;
    const startedAt = this.now();
    const session = startedAt - this.sessionAt[i]! < ticketLifetimeSeconds * 1000 ? this.sessions[i] : undefined;
    const conn = new DeviceConnection(this.opts.target, devices.certPems[i]!, session);
    const id = devices.computerIds[i]!;
    try {
      if (this.pendingResults[i]) {
        const answer = await conn.post(`/device/v1/computers/${id}/policy-results`, JSON.stringify({ results: this.results(i) }));
        const parsed = PolicyResultsResponse.parse(this.accept('results', answer, false));
        if (parsed.accepted + parsed.duplicates !== this.pendingResults[i]) throw new Error(`coordinator acknowledged ${parsed.accepted + parsed.duplicates} of ${this.pendingResults[i]} results`);
        this.resultSeq[i] = this.resultSeq[i]! + this.pendingResults[i]!;
        this.pendingResults[i] = 0;
      }
      const etag = this.etags[i];
      const answer = await conn.post(`/device/v1/computers/${id}/checkins`, JSON.stringify({ trigger: 'checkin', ...(etag ? { etag } : {}) }));
      const parsed = CheckinResponse.parse(this.accept('checkin', answer, true));
      if (parsed.status === 'modified') {
        verifiedBundle(parsed, this.onlineKey, devices.uuids[i]!);
        this.etags[i] = parsed.etag;
      }
      this.interval = parsed.nextCheckinSeconds;
      this.attempts[i] = 0;
      const at = this.now();
      for (const listener of this.listeners) listener(i, at, parsed.status === 'modified');
      return true;
    } catch (err) {
      if (err instanceof ShedError) return err;
      metrics.failed((err as Error).message);
      return err as Error;
    } finally {
      if (conn.resumed !== undefined) metrics.connected(conn.resumed);
      if (conn.session) { this.sessions[i] = conn.session; this.sessionAt[i] = startedAt; }
      conn.close();
      this.collector.visitEnded(--this.inFlight === 0);
      if (this.inFlight === 0 && this.idle) { this.idle(); this.idle = undefined; }
    }
  }

  /** Records an answer; returns its JSON for a 2xx, throws ShedError for 503/429, else an Error. */
  private accept(kind: 'checkin' | 'results', answer: DeviceAnswer, isCheckin: boolean): unknown {
    const { metrics } = this.opts;
    if (answer.status === 503 || answer.status === 429) {
      metrics.answered(kind, 'shed', answer.ms, answer.handshakeMs);
      throw new ShedError(answer.retryAfterSeconds);
    }
    if (answer.status < 200 || answer.status >= 300) {
      metrics.answered(kind, 'error', answer.ms, answer.handshakeMs);
      throw new Error(`${kind}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    const json = JSON.parse(answer.text) as { status?: string };
    metrics.answered(kind, isCheckin && json.status === 'modified' ? 'modified' : 'ok', answer.ms, answer.handshakeMs);
    return json;
  }

  /** The device's queued results (deterministic idempotency keys, so a re-send is recognised). */
  private results(i: number): PolicyResult[] {
    const id = this.opts.devices.computerIds[i]!;
    const out: PolicyResult[] = [];
    const at = Date.now();
    for (let k = 0; k < this.pendingResults[i]!; k++) {
      const seq = this.resultSeq[i]! + k;
      out.push({
        idempotencyKey: `sim-${String(id).padStart(10, '0')}-${String(seq).padStart(5, '0')}`, policyId: this.policyId, trigger: 'checkin', username: null,
        status: 'success', startedAt: at - 1000, finishedAt: at, items: [{ index: 0, type: 'inventory', status: 'success', message: 'simulated run', exitCode: 0, output: '' }],
      });
    }
    return out;
  }
}
