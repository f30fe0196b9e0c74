import { chunkStream } from '../../../shared/content/fastcdc.js';
import { blocksOf, seededBytes } from './seeded-bytes.js';
const data = seededBytes('x', 256 * 1024 * 1024);
for (let k = 0; k < 3; k++) {
const t = performance.now();
let n = 0;
for await (const c of chunkStream(blocksOf(data, 1024 * 1024))) { n++; void c; }
console.log(256 / (performance.now() - t) * 1000, n);
}
