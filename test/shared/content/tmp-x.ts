import { chunkStream } from './tmp-fastcdc.js';
import { blocksOf, seededBytes } from './seeded-bytes.js';
const MiB = 1 << 20;
const original = seededBytes(process.env.SEED ?? 'fastcdc-64MiB', 64 * MiB);
const list = async (d: Uint8Array) => { const o: string[] = []; for await (const c of chunkStream(blocksOf(d, MiB))) o.push(c.digest); return o; };
const base = await list(original);
const before = new Set(base);
const res: number[] = [];
for (let k = 0; k < 120; k++) {
  const m = Buffer.from(original);
  const start = Math.floor((k / 120) * 63 * MiB) + 777 * k;
  seededBytes('chg' + k, Math.floor(original.length / 100)).copy(m, start);
  const after = await list(m);
  res.push(after.filter((d) => !before.has(d)).length);
}
res.sort((a, b) => a - b);
console.log(process.env.NCL, process.env.BITS, process.env.NORMAL, 'chunks', base.length, 'mean changed', res.reduce((a, b) => a + b) / res.length, 'max', res.at(-1), 'p90', res[108], '>3:', res.filter(x => x > 3).length);
