import { describe, expect, it } from '@jest/globals';
import { runChaos } from '../bench/lib/chaos-run.js';

/**
 * The chaos run of issue 15, shortened (`pnpm chaos` is the full one): 100 activities for three
 * Telegram-linked athletes through every real service while each worker, the ingress and the
 * gateway are SIGKILLed once, Redis restarts empty and then with its AOF, Postgres restarts, and the
 * fake Intervals.icu (20% 5xx, 10% 429, 5% timeouts) and Telegram (5% 429) misbehave throughout.
 * Nothing acknowledged may be lost, nothing announced twice, every card sent, the limits held.
 */
describe('chaos (shortened)', () => {
  it('loses nothing, duplicates nothing and holds the limits through every fault kind', async () => {
    const lines: string[] = [];
    const r = await runChaos({ activities: 100, minutes: 1.5, athletes: 3, killsPerWorker: 1, drainTimeoutMs: 240_000, seed: 15, log: (l) => lines.push(l) });
    const why = `${JSON.stringify(r)}\n${lines.slice(-30).join('\n')}`;
    expect([r.acknowledged, why]).toEqual([100, why]);
    expect([{ lost: r.lost, duplicates: r.duplicateCards, stored: r.stored, classified: r.classified, inSummary: r.inSummary, cards: r.cardsSent }, why]).toEqual([
      { lost: 0, duplicates: 0, stored: 100, classified: 100, inSummary: 100, cards: 100 },
      why,
    ]);
    expect(r.drainMs).not.toBeNull();
    // Every fault kind happened.
    for (const k of ['kill fetch-worker', 'kill classify-worker', 'kill summary-worker', 'kill telegram-worker', 'kill webhook-ingress', 'kill api-gateway', 'redis restart without persistence', 'redis restart with AOF', 'postgres restart']) {
      expect([k, r.faults[k]]).toEqual([k, 1]);
    }
    expect(r.faults['intervals 5xx']).toBeGreaterThan(0);
    expect(r.faults['intervals 429']).toBeGreaterThan(0);
    expect(r.faults['intervals timeouts']).toBeGreaterThan(0);
    expect(r.faults['telegram 429']).toBeGreaterThan(0);
    // Intervals.icu's own limit (about 10/s per IP; paced at 8) and Telegram's per bot.
    expect(r.maxIntervalsRps).toBeLessThanOrEqual(r.limits.intervalsLimit);
    expect(r.maxMessagesPerSecondPerBot).toBeLessThanOrEqual(r.limits.botMps);
  }, 600_000);
});
