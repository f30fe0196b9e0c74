import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, sha256, type Digest } from '../digest.js';
import { z } from '../schemas/zod.js';
import { ManifestError } from './errors.js';
import { CHUNK_MAX } from './fastcdc.js';
import { isSafeRelativePath, isSafeTargetPrefix, resolveLinkInTree } from './safe-path.js';

/** `sha256:<64 hex>` content digest. */
export const DigestSchema = z.templateLiteral(['sha256:', z.string().regex(/^[0-9a-f]{64}$/)]);

/** Largest uid/gid a ustar header can hold (6 octal digits). */
export const MAX_OWNER_ID = 0o777777;
const OwnerId = z.number().int().min(0).max(MAX_OWNER_ID);
const OwnerName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$/);
const Script = z.string().min(1).max(1024 * 1024);

const fileBase = {
  path: z.string().min(1).max(4096),
  mode: z.number().int().min(0).max(0o7777),
  uid: OwnerId,
  gid: OwnerId,
  uname: OwnerName.optional(),
  gname: OwnerName.optional(),
};

/** One entry of a package's file tree; paths are relative to the manifest's `targetPrefix`. */
export const ManifestFile = z.discriminatedUnion('type', [
  z.strictObject({ ...fileBase, type: z.literal('directory') }),
  z.strictObject({ ...fileBase, type: z.literal('file'), size: z.number().int().min(0), digest: DigestSchema }),
  z.strictObject({ ...fileBase, type: z.literal('symlink'), target: z.string().min(1).max(4096) }),
]).openapi('ManifestFile');
/** One entry of a package's file tree. */
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Package name as admins type it (no control characters or slashes, no surrounding spaces). */
export const PackageName = z.string().min(1).max(200).regex(/^[^\s\u0000-\u001f\u007f/\\](?:[^\u0000-\u001f\u007f/\\]*[^\s\u0000-\u001f\u007f/\\])?$/);
/** Admin-facing version string such as `1.2.3` or `2024.1-beta`. */
export const PackageVersion = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+~_-]{0,63}$/);

/** What a package contains and how to verify every byte of it. */
export const Manifest = z.strictObject({
  schema: z.literal(1),
  name: PackageName,
  version: PackageVersion,
  /** Assigned by the coordinator at upload, monotonic per name; 0 in an unsigned build. */
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  targetPrefix: z.string().min(1).max(4096),
  payload: z.strictObject({ digest: DigestSchema, size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
  files: z.array(ManifestFile),
  preinstall: Script.optional(),
  postinstall: Script.optional(),
  chunks: z.array(z.strictObject({ digest: DigestSchema, size: z.number().int().min(1).max(CHUNK_MAX) })),
}).openapi('Manifest');
/** What a package contains and how to verify every byte of it. */
export type Manifest = z.infer<typeof Manifest>;

/** A manifest with the package key's Ed25519 signature over its canonical JSON. */
export const SignedManifest = z.strictObject({
  manifest: Manifest,
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  keyId: DigestSchema,
}).openapi('SignedManifest');
/** A manifest with the package key's Ed25519 signature over its canonical JSON. */
export type SignedManifest = z.infer<typeof SignedManifest>;

/** Validates shape and consistency of untrusted manifest JSON; throws MANIFEST_INVALID or MANIFEST_INCONSISTENT. */
export function parseManifest(raw: unknown): Manifest {
  const manifest = parseManifestShape(Manifest, raw);
  checkManifestConsistency(manifest);
  return manifest;
}

/** Checks what the schema cannot: safe unique paths, nothing nested under a file or link, links inside the tree, sizes adding up. */
export function checkManifestConsistency(manifest: Manifest): void {
  const problems: string[] = [];
  if (!isSafeTargetPrefix(manifest.targetPrefix)) problems.push(`unsafe target prefix ${JSON.stringify(manifest.targetPrefix)}`);
  const types = new Map<string, ManifestFile['type']>();
  let fileBytes = 0;
  for (const f of manifest.files) {
    if (!isSafeRelativePath(f.path)) problems.push(`unsafe path ${JSON.stringify(f.path)}`);
    else if (types.has(f.path)) problems.push(`duplicate path ${f.path}`);
    types.set(f.path, f.type);
    if (f.type === 'file') fileBytes += f.size;
    if (f.type === 'symlink' && resolveLinkInTree(f.path, f.target) === undefined) problems.push(`link ${f.path} -> ${f.target} leaves the package root`);
  }
  for (const path of types.keys()) {
    for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      const parent = types.get(path.slice(0, i));
      if (parent !== undefined && parent !== 'directory') problems.push(`${path} is nested under a ${parent}`);
    }
  }
  const chunkBytes = manifest.chunks.reduce((sum, c) => sum + c.size, 0);
  if (chunkBytes !== manifest.payload.size) problems.push(`chunk sizes add up to ${chunkBytes}, payload size is ${manifest.payload.size}`);
  if (fileBytes > manifest.payload.size) problems.push(`files hold ${fileBytes} bytes, more than the ${manifest.payload.size}-byte payload`);
  if (problems.length > 0) throw new ManifestError('MANIFEST_INCONSISTENT', `manifest is inconsistent: ${problems.slice(0, 10).join('; ')}`, problems);
}

/** Key id of an Ed25519 key (public or private): SHA-256 of its public SPKI DER. */
export function keyIdOf(key: KeyObject): Digest {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256(pub.export({ type: 'spki', format: 'der' }));
}

/** Signs a consistent manifest with the package key (Ed25519 private key). */
export function signManifest(manifest: Manifest, privateKey: KeyObject): SignedManifest {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('package key must be an Ed25519 private key');
  checkManifestConsistency(manifest);
  const signature = sign(null, Buffer.from(canonicalJson(manifest)), privateKey).toString('base64');
  return { manifest, signature, keyId: keyIdOf(privateKey) };
}

/** Verifies untrusted signed-manifest JSON against the package key and returns the manifest; throws ManifestError. */
export function verifyManifest(signed: unknown, publicKey: KeyObject): Manifest {
  const parsed = parseManifestShape(SignedManifest, signed);
  const expected = keyIdOf(publicKey);
  if (parsed.keyId !== expected) {
    throw new ManifestError('MANIFEST_SIGNATURE_INVALID', `manifest is signed by key ${parsed.keyId}, expected ${expected}`);
  }
  const data = Buffer.from(canonicalJson(parsed.manifest));
  if (!verify(null, data, publicKey, Buffer.from(parsed.signature, 'base64'))) {
    throw new ManifestError('MANIFEST_SIGNATURE_INVALID', 'manifest signature does not verify');
  }
  checkManifestConsistency(parsed.manifest);
  return parsed.manifest;
}

/** Parses untrusted JSON with a manifest-carrying schema, reporting problems as MANIFEST_INVALID. */
export function parseManifestShape<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError('MANIFEST_INVALID', `manifest is invalid: ${issues.slice(0, 10).join('; ')}`, issues);
  }
  return result.data;
}
