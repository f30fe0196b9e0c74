import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number within its family (IPv4-mapped IPv6 addresses count as IPv4). */
export interface IpAddress { family: 4 | 6; value: bigint }

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Parses a textual IPv4 or IPv6 address (zone ids are dropped); undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.trim().replace(/%.*$/, '');
  const mapped = MAPPED.exec(bare)?.[1];
  if (mapped !== undefined) return parseIp(mapped);
  if (isIPv4(bare)) return { family: 4, value: bare.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n) };
  if (!isIPv6(bare)) return undefined;
  return { family: 6, value: ipv6Groups(bare).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

/** The canonical text of an address (dotted quad, or RFC 5952 compressed IPv6). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let len = 0;
    while (i + len < 8 && groups[i + len] === 0) len++;
    if (len > best.len) best = { at: i, len };
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Bits in an address of the family. */
export function familyBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

// Eight 16-bit groups of a valid IPv6 text; an embedded dotted quad becomes the last two groups.
function ipv6Groups(text: string): number[] {
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  const v4 = quad === undefined ? undefined : parseIp(quad)!.value;
  const head = v4 === undefined ? text : `${text.slice(0, -quad!.length)}${(Number(v4 >> 16n)).toString(16)}:${(Number(v4 & 0xffffn)).toString(16)}`;
  const [left, right] = head.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  if (right === undefined) return parse(left);
  const l = parse(left);
  const r = parse(right);
  return [...l, ...Array<number>(8 - l.length - r.length).fill(0), ...r];
}
