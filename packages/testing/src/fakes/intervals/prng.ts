// Local aliases: under jest's vm context every global lookup in a 1 Hz loop is costly.
const { floor: M_floor, imul: M_imul, round: M_round } = Math;

/** Seeded randomness for the fakes: everything generated must be a pure function of the seed. */

/** 32-bit FNV-1a over the parts, so string and number seeds mix into one stream id. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = M_imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x7c;
    h = M_imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = M_imul(t ^ (t >>> 15), t | 1);
    t ^= t + M_imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** [0, 1) */
  float(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + M_floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const v = items[M_floor(this.next() * items.length)];
    if (v === undefined) throw new Error('pick from empty list');
    return v;
  }
  /** Uniform noise with standard deviation `sd`: the cheapest jitter for 1 Hz streams. */
  jitter(sd: number): number {
    return (this.next() - 0.5) * 3.4641016 * sd;
  }
  /** Approximately normal sample (Irwin–Hall of 4 uniforms): cheap enough for per-sample stream noise. */
  normal(mean = 0, sd = 1): number {
    const s = this.next() + this.next() + this.next() + this.next() - 2;
    return mean + sd * s * 1.7320508;
  }
}

export const round = (v: number, digits = 0): number => {
  const f = 10 ** digits;
  return M_round(v * f) / f;
};
