import { describe, expect, it } from 'vitest';
import { PeerTable } from '../../node/peer-table.js';
import { ManualClock } from '../../shared/clock.js';
import { Bitfield } from '../../shared/mesh/bitfield.js';

const haves = (packageId: number, count: number, held: number[]) => {
  const bits = new Bitfield(count);
  for (const i of held) bits.set(i);
  return { packageId, count, bits: bits.toBase64() };
};

describe('PeerTable bans', () => {
  it('expire after the base time, and a repeat offender is banned twice as long, up to the maximum', async () => {
    const clock = new ManualClock();
    const table = new PeerTable(clock, { baseMs: 60_000, maxMs: 150_000 });
    expect(table.ban('P', 'bad bytes')).toBe(60_000);
    expect(table.isBanned('P')).toBe(true);
    await clock.advance(59_999);
    expect(table.isBanned('P')).toBe(true);
    await clock.advance(1);
    expect(table.isBanned('P')).toBe(false);
    expect(table.ban('P', 'bad bytes again')).toBe(120_000);
    await clock.advance(119_999);
    expect(table.isBanned('P')).toBe(true);
    await clock.advance(1);
    expect(table.isBanned('P')).toBe(false);
    expect(table.ban('P', 'third time')).toBe(150_000);
    expect(table.isBanned('Q')).toBe(false);
  });

  it('forgets a banned peer\'s have-lists and leaves it out of the sources until the ban ends', async () => {
    const clock = new ManualClock();
    const table = new PeerTable(clock, { baseMs: 1_000, maxMs: 1_000 });
    table.setHaves('P', haves(1, 2, [0, 1]));
    table.ban('P', 'bad bytes');
    expect(table.lastProgressAt('P', 1)).toBeUndefined();
    await clock.advance(1_000);
    table.setHaves('P', haves(1, 2, [0]));
    expect(table.isBanned('P')).toBe(false);
    expect(table.lastProgressAt('P', 1)).toBe(clock.now());
  });
});

describe('PeerTable progress', () => {
  it('records when a peer\'s have-list of a package first arrives and when it grows, not when it stays the same', async () => {
    const clock = new ManualClock();
    const table = new PeerTable(clock);
    expect(table.lastProgressAt('P', 1)).toBeUndefined();
    table.setHaves('P', haves(1, 4, []));
    const first = clock.now();
    expect(table.lastProgressAt('P', 1)).toBe(first);
    await clock.advance(5_000);
    table.setHaves('P', haves(1, 4, []));
    expect(table.lastProgressAt('P', 1)).toBe(first);
    await clock.advance(5_000);
    table.setHaves('P', haves(1, 4, [2]));
    expect(table.lastProgressAt('P', 1)).toBe(first + 10_000);
    expect(table.lastProgressAt('P', 2)).toBeUndefined();
    table.retain(new Set(['Q']));
    expect(table.lastProgressAt('P', 1)).toBeUndefined();
  });
});

describe('PeerTable connections and known lists', () => {
  it('knows a package\'s have-list once one arrives (even empty), and dates a connection from when it was first seen open', async () => {
    const clock = new ManualClock();
    const table = new PeerTable(clock);
    expect(table.knowsHaves('P', 1)).toBe(false);
    table.setHaves('P', haves(1, 4, []));
    expect(table.knowsHaves('P', 1)).toBe(true);
    expect(table.knowsHaves('P', 2)).toBe(false);

    table.connectedNow(new Set(['P']), clock.now());
    const opened = clock.now();
    await clock.advance(1_000);
    table.connectedNow(new Set(['P', 'Q']), clock.now());
    expect(table.connectedSince('P')).toBe(opened);
    expect(table.connectedSince('Q')).toBe(clock.now());
    await clock.advance(1_000);
    table.connectedNow(new Set(['Q']), clock.now());
    expect(table.connectedSince('P')).toBeUndefined();
    table.connectedNow(new Set(['P', 'Q']), clock.now());
    expect(table.connectedSince('P')).toBe(clock.now());
    table.disconnected('Q');
    expect(table.connectedSince('Q')).toBeUndefined();
  });
});
