import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/digest.js';
import { ConflictError, InvalidTokenError, NotFoundError } from '../../shared/errors.js';
import type { DesiredPackage, MeshPeer, NodeHealth, NodeHeartbeat, NodeJoinRequest, NodeJoinResponse, NodeView } from '../../shared/schemas/nodes.js';
import type { Database } from '../db/database.js';
import type { NodeRow } from '../db/models/nodes.js';
import type { KeyMaterial } from '../pki/key-material.js';
import type { DesiredContentSource } from './desired-content.js';
import { isLive, nodeStatus } from './node-health.js';
import type { PackageCatalog } from './package-catalog.js';

/** Settings of the node service. */
export interface NodeSettings { heartbeatSeconds: number; certificateDays: number }

/** Distribution nodes: join tokens, joining, heartbeats, health, revocation, pins, peers and desired content. */
export class NodeService {
  private readonly revokeListeners: ((peerId: string) => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly keys: KeyMaterial,
    private readonly desired: DesiredContentSource,
    readonly catalog: PackageCatalog,
    readonly settings: NodeSettings,
  ) {}

  /** Creates a pending node and its one-time join token; only the token's hash is stored. */
  async create(name: string, segmentIds: number[], expiresInSeconds: number, createdBy: string) {
    const token = `hon_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    const expiresAt = new Date(now + expiresInSeconds * 1000);
    const row = await this.db.write((transaction) => this.db.models.Node.create({
      name, segmentIds: JSON.stringify(segmentIds), status: 'pending', tokenHash: sha256Hex(token), tokenExpiresAt: expiresAt,
      certSerial: null, peerId: null, addrs: '[]', httpUrl: null, health: null, lastHeartbeatAt: null,
      createdBy, createdAt: new Date(now), joinedAt: null, revokedAt: null,
    }, { transaction }));
    return { id: row.id, name, token, expiresAt: expiresAt.toISOString() };
  }

  /** Trades a join token + CSR for a node certificate; the token is consumed atomically with the registration. */
  async join(req: NodeJoinRequest): Promise<NodeJoinResponse> {
    const tokenHash = sha256Hex(req.token);
    const { Node } = this.db.models;
    const pending = await Node.findOne({ where: { tokenHash } });
    if (!pending || pending.status !== 'pending') throw new InvalidTokenError('node join token is not known or already used');
    if (pending.tokenExpiresAt!.getTime() <= this.clock.now()) throw new InvalidTokenError('node join token has expired');
    const issued = await this.keys.ca.signCsr(req.csr, `node-${pending.id}`, 'node', this.settings.certificateDays, req.names);
    await this.db.write(async (transaction) => {
      if (await Node.findOne({ where: { peerId: req.peerId }, transaction })) throw new ConflictError('this PeerId is already registered');
      const now = new Date(this.clock.now());
      const [consumed] = await Node.update(
        { status: 'active', tokenHash: null, certSerial: issued.serial, peerId: req.peerId, addrs: JSON.stringify(req.addrs), httpUrl: req.httpUrl, joinedAt: now },
        { where: { id: pending.id, tokenHash, status: 'pending', tokenExpiresAt: { [Op.gt]: now } }, transaction },
      );
      if (consumed !== 1) throw new InvalidTokenError('node join token is used up or expired');
    });
    return {
      nodeId: pending.id, certificate: issued.certPem, caCertificate: this.keys.ca.certPem,
      packagePublicKey: this.keys.packagePublicPem, heartbeatSeconds: this.settings.heartbeatSeconds,
    };
  }

  /** The active node holding this certificate, or undefined when it is unknown, superseded or revoked. */
  async findActiveByCertificate(commonName: string, serial: string): Promise<NodeRow | undefined> {
    const id = Number(/^node-(\d+)$/.exec(commonName)?.[1]);
    if (!id) return undefined;
    const row = await this.db.models.Node.findByPk(id);
    return row && row.status === 'active' && row.certSerial === serial ? row.get({ plain: true }) : undefined;
  }

  /** Records a heartbeat: addresses, health; answers with the node's state. */
  async heartbeat(node: NodeRow, hb: NodeHeartbeat) {
    const now = new Date(this.clock.now());
    const health = JSON.stringify(hb.health);
    await this.db.write((transaction) => this.db.models.Node.update(
      { addrs: JSON.stringify(hb.addrs), httpUrl: hb.httpUrl, health, lastHeartbeatAt: now }, { where: { id: node.id }, transaction },
    ));
    return { status: nodeStatus({ status: node.status, lastHeartbeatAt: now, health }, now.getTime(), this.settings.heartbeatSeconds), heartbeatSeconds: this.settings.heartbeatSeconds };
  }

  async list(page: number, perPage: number): Promise<{ items: NodeView[]; total: number }> {
    const { rows, count } = await this.db.models.Node.findAndCountAll({ order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage });
    const pins = await this.db.models.NodePin.findAll({ where: { nodeId: rows.map((r) => r.id) } });
    return { items: rows.map((r) => this.view(r, pins.filter((p) => p.nodeId === r.id).map((p) => p.packageId))), total: count };
  }

  async get(id: number): Promise<NodeView> {
    const row = await this.require(id);
    const pins = await this.db.models.NodePin.findAll({ where: { nodeId: id } });
    return this.view(row, pins.map((p) => p.packageId));
  }

  /** Revokes the node: its certificate stops working and every mesh host drops its PeerId. */
  async revoke(id: number): Promise<void> {
    const row = await this.require(id);
    if (row.status === 'revoked') return;
    await this.db.write((transaction) => this.db.models.Node.update(
      { status: 'revoked', tokenHash: null, revokedAt: new Date(this.clock.now()) }, { where: { id }, transaction },
    ));
    if (row.peerId) for (const listener of this.revokeListeners) listener(row.peerId);
  }

  /** Calls `listener` with the PeerId of every node revoked from now on. */
  onRevoke(listener: (peerId: string) => void): void {
    this.revokeListeners.push(listener);
  }

  async pin(id: number, packageId: number): Promise<{ nodeId: number; packageId: number }> {
    await this.require(id);
    await this.db.write((transaction) => this.db.models.NodePin.upsert({ nodeId: id, packageId, createdAt: new Date(this.clock.now()) }, { transaction }));
    return { nodeId: id, packageId };
  }

  async unpin(id: number, packageId: number): Promise<void> {
    await this.require(id);
    await this.db.write((transaction) => this.db.models.NodePin.destroy({ where: { nodeId: id, packageId }, transaction }));
  }

  /** Live nodes (joined, not revoked, heartbeating) with their PeerIds. */
  async liveNodes(): Promise<NodeRow[]> {
    const rows = await this.db.models.Node.findAll({ where: { status: 'active', peerId: { [Op.ne]: null } } });
    const now = this.clock.now();
    return rows.map((r) => r.get({ plain: true })).filter((r) => isLive(nodeStatus(r, now, this.settings.heartbeatSeconds)));
  }

  /** Mesh peers for `self`: every other live node, plus the origin seeder when there is one. */
  async peers(self: NodeRow, origin: MeshPeer | undefined): Promise<MeshPeer[]> {
    const nodes = (await this.liveNodes()).filter((n) => n.id !== self.id)
      .map((n) => ({ peerId: n.peerId!, addrs: JSON.parse(n.addrs) as string[], origin: false, nodeId: n.id }));
    return origin ? [...nodes, origin] : nodes;
  }

  /** The packages `self` should hold, each with the PeerIds of every live node that should hold it too. */
  async desiredFor(self: NodeRow): Promise<DesiredPackage[]> {
    const live = await this.liveNodes();
    const members = live.some((n) => n.id === self.id) ? live : [...live, self];
    const byNode = await this.desired.desiredPackageIds(members.map((n) => ({ id: n.id, segmentIds: JSON.parse(n.segmentIds) })));
    const wants = new Map<number, string[]>();
    for (const n of members) for (const id of byNode.get(n.id) ?? []) wants.set(id, [...(wants.get(id) ?? []), n.peerId!]);
    const mine = [...wants.keys()].filter((id) => wants.get(id)!.includes(self.peerId!));
    const manifests = await this.catalog.manifests(mine);
    return mine.filter((id) => manifests.has(id)).map((id) => ({ packageId: id, manifest: manifests.get(id)!, holders: wants.get(id)! }));
  }

  /** What node `id` should hold now (an admin's view of `desiredFor`). */
  async desiredOf(id: number): Promise<DesiredPackage[]> {
    return this.desiredFor((await this.require(id)).get({ plain: true }));
  }

  private async require(id: number) {
    const row = await this.db.models.Node.findByPk(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    return row;
  }

  private view(row: NodeRow, pins: number[]): NodeView {
    return {
      id: row.id, name: row.name, status: nodeStatus(row, this.clock.now(), this.settings.heartbeatSeconds),
      segmentIds: JSON.parse(row.segmentIds), peerId: row.peerId, addrs: JSON.parse(row.addrs), httpUrl: row.httpUrl,
      lastHeartbeatAt: row.lastHeartbeatAt?.toISOString() ?? null, health: row.health ? JSON.parse(row.health) as NodeHealth : null,
      pins, createdAt: row.createdAt.toISOString(), joinedAt: row.joinedAt?.toISOString() ?? null,
    };
  }
}
