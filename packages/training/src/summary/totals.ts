import type { WorkoutRecord } from '@splits/contracts';
import { round } from '../units.js';

/**
 * Totals over a set of workouts. Each figure is the sum of the values the records gave; a figure
 * that none of a non-empty set's records gave is null (missing stays missing, never 0). An empty
 * set sums to 0: nothing was done.
 */
export interface Totals {
  sessions: number;
  /** km */
  distance: number | null;
  /** seconds */
  movingTime: number | null;
  load: number | null;
}

export interface TotalsBySport extends Totals {
  /** Per workoutType (Run, Ride, …), same rules. */
  bySport: Record<string, Totals>;
}

/** Raw sums, rounded only on output so that rounding never compounds. */
export class TotalsAcc {
  sessions = 0;
  distance = 0;
  movingTime = 0;
  load = 0;
  private has = { distance: false, movingTime: false, load: false };

  add(r: Pick<WorkoutRecord, 'distance' | 'movingTime' | 'load'>): void {
    this.sessions += 1;
    if (r.distance !== null && r.distance !== undefined) {
      this.distance += r.distance;
      this.has.distance = true;
    }
    if (r.movingTime !== null && r.movingTime !== undefined) {
      this.movingTime += r.movingTime;
      this.has.movingTime = true;
    }
    if (r.load !== null && r.load !== undefined) {
      this.load += r.load;
      this.has.load = true;
    }
  }

  merge(o: TotalsAcc): void {
    this.sessions += o.sessions;
    this.distance += o.distance;
    this.movingTime += o.movingTime;
    this.load += o.load;
    this.has.distance ||= o.has.distance;
    this.has.movingTime ||= o.has.movingTime;
    this.has.load ||= o.has.load;
  }

  private value(key: 'distance' | 'movingTime' | 'load', digits: number): number | null {
    if (this.sessions === 0) return 0;
    return this.has[key] ? round(this[key], digits) : null;
  }

  toTotals(): Totals {
    return {
      sessions: this.sessions,
      distance: this.value('distance', 2),
      movingTime: this.value('movingTime', 0),
      load: this.value('load', 1),
    };
  }
}

export class SportTotalsAcc extends TotalsAcc {
  readonly sports = new Map<string, TotalsAcc>();

  override add(r: Pick<WorkoutRecord, 'workoutType' | 'distance' | 'movingTime' | 'load'>): void {
    super.add(r);
    let s = this.sports.get(r.workoutType);
    if (!s) this.sports.set(r.workoutType, (s = new TotalsAcc()));
    s.add(r);
  }

  override merge(o: TotalsAcc): void {
    super.merge(o);
    if (o instanceof SportTotalsAcc) {
      for (const [sport, t] of o.sports) {
        let s = this.sports.get(sport);
        if (!s) this.sports.set(sport, (s = new TotalsAcc()));
        s.merge(t);
      }
    }
  }

  toSportTotals(): TotalsBySport {
    const bySport: Record<string, Totals> = {};
    // Most sessions first: the athlete's main sport leads.
    const entries = [...this.sports].sort((a, b) => b[1].sessions - a[1].sessions || (a[0] < b[0] ? -1 : 1));
    for (const [sport, t] of entries) bySport[sport] = t.toTotals();
    return { ...this.toTotals(), bySport };
  }
}
