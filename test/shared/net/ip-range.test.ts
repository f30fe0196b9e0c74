import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, parseIp } from '../../../shared/net/ip-address.js';
import { formatIpRange, IpRangeError, parseIpRange } from '../../../shared/net/ip-range.js';

describe('IP addresses and ranges', () => {
  it('parses IPv4, IPv6, embedded and mapped forms', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('::ffff:127.1.0.5')).toEqual(parseIp('127.1.0.5'));
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, value: 0x20010db8000000000000000000000001n });
    expect(parseIp('64:ff9b::10.0.0.1')!.value & 0xffffffffn).toBe(0x0a000001n);
    expect(parseIp('fe80::1%eth0')!.family).toBe(6);
    for (const bad of ['', '10.0.0', '256.1.1.1', '1::2::3', 'example.com']) expect(parseIp(bad)).toBeUndefined();
  });

  it('round-trips any address through its canonical text', () => {
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
      const ip = parseIp(text)!;
      expect(parseIp(formatIp(ip))).toEqual(ip);
    }));
  });

  it('accepts CIDR and start-end, refusing bad prefixes, host bits, reversed and mixed ranges', () => {
    expect(parseIpRange('127.1.0.0/16')).toEqual({ family: 4, start: 0x7f010000n, end: 0x7f01ffffn });
    expect(parseIpRange('10.0.0.5 - 10.0.0.9')).toEqual({ family: 4, start: 0x0a000005n, end: 0x0a000009n });
    expect(parseIpRange('2001:db8::/32').end).toBe(0x20010db8ffffffffffffffffffffffffn);
    expect(parseIpRange('::/0')).toEqual({ family: 6, start: 0n, end: (1n << 128n) - 1n });
    for (const bad of ['10.0.0.1/33', '10.0.0.1/24', '10.0.0.9-10.0.0.5', '10.0.0.1-::1', '10.0.0.1', 'a-b', '::1/129', '10.0.0.0/-1']) {
      expect(() => parseIpRange(bad), bad).toThrow(IpRangeError);
    }
  });

  it('formats a range as CIDR exactly when it is one prefix', () => {
    expect(formatIpRange(parseIpRange('10.0.0.0-10.0.0.255'))).toBe('10.0.0.0/24');
    expect(formatIpRange(parseIpRange('10.0.0.1-10.0.0.2'))).toBe('10.0.0.1-10.0.0.2');
    expect(formatIpRange(parseIpRange('2001:db8::/48'))).toBe('2001:db8::/48');
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (addr, len) => {
      const host = (1n << BigInt(32 - len)) - 1n;
      const base = parseIp(addr)!.value & ~host;
      const text = `${formatIp({ family: 4, value: base })}/${len}`;
      expect(formatIpRange(parseIpRange(text))).toBe(text);
    }));
  });
});
