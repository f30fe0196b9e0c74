import { familyBits, formatIp, parseIp, type IpAddress } from './ip-address.js';

/** An inclusive range of addresses of one family. */
export interface IpRange { family: 4 | 6; start: bigint; end: bigint }

/** Why a range text was refused (the schema turns it into a 400). */
export class IpRangeError extends Error {}

/**
 * Parses `a.b.c.d/n` or `start-end` (IPv4 or IPv6, both ends of one family, start ≤ end; a CIDR's host bits
 * must be zero). Throws `IpRangeError` with the reason.
 */
export function parseIpRange(text: string): IpRange {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash >= 0) return parseCidr(trimmed.slice(0, slash), trimmed.slice(slash + 1));
  const parts = trimmed.split('-').map((s) => s.trim());
  if (parts.length !== 2) throw new IpRangeError(`"${text}" is neither CIDR (addr/len) nor a start-end range`);
  const [start, end] = parts.map((p) => address(p)) as [IpAddress, IpAddress];
  if (start.family !== end.family) throw new IpRangeError(`"${text}" mixes IPv4 and IPv6`);
  if (start.value > end.value) throw new IpRangeError(`"${text}": start is after end`);
  return { family: start.family, start: start.value, end: end.value };
}

/** The range's canonical text: CIDR when it is exactly one prefix, else `start-end`. */
export function formatIpRange(range: IpRange): string {
  const bits = familyBits(range.family);
  const size = range.end - range.start + 1n;
  const prefix = bits - (size.toString(2).length - 1);
  const isPrefix = (size & (size - 1n)) === 0n && range.start % size === 0n;
  const start = formatIp({ family: range.family, value: range.start });
  return isPrefix ? `${start}/${prefix}` : `${start}-${formatIp({ family: range.family, value: range.end })}`;
}

/** True when `ip` lies in `range`. */
export function rangeContains(range: IpRange, ip: IpAddress): boolean {
  return range.family === ip.family && ip.value >= range.start && ip.value <= range.end;
}

function parseCidr(addr: string, len: string): IpRange {
  const base = address(addr);
  const bits = familyBits(base.family);
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits) throw new IpRangeError(`"${addr}/${len}": prefix length must be 0–${bits}`);
  const host = (1n << BigInt(bits - Number(len))) - 1n;
  if ((base.value & host) !== 0n) throw new IpRangeError(`"${addr}/${len}": address has bits set past the prefix`);
  return { family: base.family, start: base.value, end: base.value | host };
}

function address(text: string): IpAddress {
  const ip = parseIp(text);
  if (!ip) throw new IpRangeError(`"${text}" is not an IPv4 or IPv6 address`);
  return ip;
}
