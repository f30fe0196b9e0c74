import { describe, expect, it } from 'vitest';
import { isDue, type RunLog } from '../../../shared/policy/frequency.js';

const H = 3_600_000;
const now = Date.parse('2026-03-01T12:00:00Z');
const log = (hoursAgo: number, status: RunLog['status'] = 'success', user: string | null = null, flushed = false): RunLog =>
  ({ at: now - hoursAgo * H, status, user, flushed });

describe('isDue', () => {
  it('ongoing is always due', () => {
    expect(isDue('ongoing', [log(0)], now).due).toBe(true);
  });

  describe('once-per-computer', () => {
    it('runs once, then not again until its log is flushed', () => {
      expect(isDue('once-per-computer', [], now)).toEqual({ due: true, reason: 'never ran on this computer' });
      const ran = isDue('once-per-computer', [log(1000)], now);
      expect(ran.due).toBe(false);
      expect(ran.reason).toMatch(/already ran .* flush its log/);
      expect(isDue('once-per-computer', [log(1000, 'success', null, true)], now).due).toBe(true);
    });

    it('counts a failure as a run when there are no retries', () => {
      expect(isDue('once-per-computer', [log(1, 'failed')], now).due).toBe(false);
    });

    it('retries a failed run up to `retries` times, then stops', () => {
      const fails = (n: number) => Array.from({ length: n }, (_, i) => log(n - i, 'failed'));
      expect(isDue('once-per-computer', fails(1), now, { retries: 2 })).toEqual({ due: true, reason: 'retry 1 of 2 after a failed run' });
      expect(isDue('once-per-computer', fails(2), now, { retries: 2 })).toEqual({ due: true, reason: 'retry 2 of 2 after a failed run' });
      expect(isDue('once-per-computer', fails(3), now, { retries: 2 }).reason).toMatch(/failed 3 times; retries exhausted/);
      expect(isDue('once-per-computer', [...fails(1), log(0)], now, { retries: 2 }).due).toBe(false);
      expect(isDue('once-per-computer', [...fails(3)].map((l) => ({ ...l, flushed: true })), now, { retries: 2 }).due).toBe(true);
    });
  });

  describe('once-per-user-per-computer', () => {
    it('runs once for each user on this computer', () => {
      const history = [log(5, 'success', 'alice')];
      expect(isDue('once-per-user-per-computer', history, now, { user: 'alice' }).due).toBe(false);
      expect(isDue('once-per-user-per-computer', history, now, { user: 'bob' }).due).toBe(true);
      expect(isDue('once-per-user-per-computer', [log(5, 'failed', 'alice')], now, { user: 'alice' }).due).toBe(false);
      expect(isDue('once-per-user-per-computer', [log(5, 'success', 'alice', true)], now, { user: 'alice' }).due).toBe(true);
    });

    it('needs a user', () => {
      expect(isDue('once-per-user-per-computer', [], now)).toEqual({ due: false, reason: 'needs a user, and this run has none' });
      expect(isDue('once-per-user-per-computer', [], now, { user: null }).due).toBe(false);
    });
  });

  describe('once-per-user', () => {
    it('looks at the user’s runs on every computer', () => {
      const elsewhere = [log(5, 'success', 'alice')];
      expect(isDue('once-per-user', [], now, { user: 'alice', userHistory: elsewhere }).reason)
        .toMatch(/already ran for user "alice" on any computer/);
      expect(isDue('once-per-user', [], now, { user: 'alice', userHistory: [] }).due).toBe(true);
      expect(isDue('once-per-user', [], now, { user: 'alice', userHistory: [log(5, 'success', 'alice', true)] }).due).toBe(true);
    });

    it('falls back to this computer’s history', () => {
      expect(isDue('once-per-user', [log(5, 'success', 'alice')], now, { user: 'alice' }).due).toBe(false);
      expect(isDue('once-per-user', [log(5, 'success', 'alice')], now, { user: 'bob' }).due).toBe(true);
    });
  });

  it.each([['daily', 24], ['weekly', 168], ['monthly', 720]] as const)('%s is due again %d h after the last success', (frequency, hours) => {
    expect(isDue(frequency, [], now)).toEqual({ due: true, reason: 'no successful run yet' });
    const recent = isDue(frequency, [log(hours + 5), log(hours - 1)], now);
    expect(recent.due).toBe(false);
    expect(recent.reason).toContain(`due again at ${new Date(now + H).toISOString()}`);
    expect(isDue(frequency, [log(hours)], now).due).toBe(true);
    expect(isDue(frequency, [log(hours + 1)], now).due).toBe(true);
    // Failures do not reset the clock; flushed successes do not count.
    expect(isDue(frequency, [log(hours + 1), log(1, 'failed')], now).due).toBe(true);
    expect(isDue(frequency, [log(1, 'success', null, true)], now).due).toBe(true);
  });
});
