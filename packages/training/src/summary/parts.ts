/**
 * Splits a summary into parts small enough for GPT Actions (each part's JSON under `maxChars`).
 * Each part is a partial document with the same paths; arrays too long for one part are cut into
 * consecutive chunks, so concatenating the chunks of all parts in order gives the array back.
 */
export const PART_MAX_CHARS = 90_000;

type Path = (string | number)[];
interface Piece {
  path: Path;
  value: unknown;
  size: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const size = (v: unknown) => JSON.stringify(v)?.length ?? 0;
// Room for the keys and braces of the path that leads to a piece.
const overhead = (path: Path) => path.reduce<number>((n, k) => n + String(k).length + 6, 0);

function decompose(path: Path, value: unknown, budget: number, out: Piece[]): void {
  const s = size(value);
  if (s + overhead(path) <= budget || (!isPlainObject(value) && !Array.isArray(value))) {
    out.push({ path, value, size: s + overhead(path) });
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) decompose([...path, k], v, budget, out);
    return;
  }
  let chunk: unknown[] = [];
  let chunkSize = 2 + overhead(path);
  const flush = () => {
    if (chunk.length) out.push({ path, value: chunk, size: chunkSize });
    chunk = [];
    chunkSize = 2 + overhead(path);
  };
  for (const item of value) {
    const s = size(item) + 1;
    if (chunkSize + s > budget) flush();
    chunk.push(item);
    chunkSize += s;
  }
  flush();
}

function place(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node = target;
  for (const k of path.slice(0, -1)) node = (node[k as string] ??= {}) as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  const existing = node[last];
  node[last] = Array.isArray(existing) && Array.isArray(value) ? [...existing, ...value] : value;
}

export function splitSummary<T extends Record<string, unknown>>(doc: T, maxChars = PART_MAX_CHARS): Record<string, unknown>[] {
  if (size(doc) <= maxChars) return [doc];
  // Leave headroom for the braces and commas that joining pieces adds.
  const budget = Math.floor(maxChars * 0.95);
  const pieces: Piece[] = [];
  for (const [k, v] of Object.entries(doc)) decompose([k], v, budget, pieces);
  const parts: Record<string, unknown>[] = [];
  let current: Record<string, unknown> = {};
  let used = 2;
  for (const p of pieces) {
    if (used + p.size > budget && used > 2) {
      parts.push(current);
      current = {};
      used = 2;
    }
    place(current, p.path, p.value);
    used += p.size + 1;
  }
  parts.push(current);
  return parts;
}
