import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../shared/fs/atomic-write.js';
import { DigestSchema } from '../../shared/content/manifest.js';

/** What an install put on disk, by package name: written as `installing` before files move and `installed` after. */
export const Receipt = z.object({
  packageId: z.number().int(),
  name: z.string(),
  version: z.string(),
  revision: z.number().int(),
  digest: DigestSchema,
  /** Absolute directory the files were installed under (root + target prefix). */
  installDir: z.string(),
  files: z.array(z.object({ path: z.string(), type: z.enum(['file', 'directory', 'symlink']), digest: DigestSchema.optional() })),
  state: z.enum(['installing', 'installed']),
  installedAt: z.number(),
});
/** What an install put on disk. */
export type Receipt = z.infer<typeof Receipt>;

/** Receipts in `<dir>/<sha256(name)>.json`, written atomically. */
export class ReceiptStore {
  constructor(private readonly dir: string) {}

  async get(name: string): Promise<Receipt | undefined> {
    const text = await readFile(this.pathOf(name), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : Receipt.parse(JSON.parse(text));
  }

  async list(): Promise<Receipt[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: Receipt[] = [];
    for (const n of names.filter((f) => f.endsWith('.json'))) out.push(Receipt.parse(JSON.parse(await readFile(join(this.dir, n), 'utf8'))));
    return out;
  }

  async save(receipt: Receipt): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(receipt.name);
    await writeFileAtomic(path, `${path}.${randomBytes(4).toString('hex')}.tmp`, Buffer.from(JSON.stringify(receipt, null, 2)));
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  private pathOf(name: string): string {
    return join(this.dir, `${createHash('sha256').update(name).digest('hex')}.json`);
  }
}
