import { readFileSync } from 'node:fs';

/**
 * Busy CPU time of the whole machine (all processes: server, Postgres, Redis, load generator) from
 * /proc/stat. Divided by the requests served it gives CPU µs per request, a figure far steadier
 * than req/s on a shared, noisy machine.
 */
export function machineCpu() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  const at = busy;
  return {
    /** Busy CPU µs since `earlier` (USER_HZ = 100 on Linux). */
    since(earlier: { busyTicks: number }): number {
      return (at - earlier.busyTicks) * 10_000;
    },
    busyTicks: at,
  };
}
