import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Which finished jobs a later add under the same fixed id runs past (the catalog's `rerun`). */
export type RerunAfter = 'failure' | 'finish';

/**
 * Moves finished jobs that an add just met under its fixed id out of the way, atomically per id.
 * A job counts only if it was created before the add began (`since`): one created since then was
 * created by this add or a racing one, after the event, so it answers for the event even if it
 * failed. The finished job is not deleted: its hash (and logs) are renamed to
 * `<id>-failed-<finishedOn>` (or `-done-`) and it keeps its place in the failed (completed) set, so
 * it stays visible and replayable. Returns the ids that were moved: their adds must be repeated.
 *
 * KEYS: failed zset, completed zset. ARGV: job key prefix, since (ms), '1' = completed too, ids…
 */
const SUPERSEDE_LUA = `
local prefix = ARGV[1]
local since = tonumber(ARGV[2])
local sets = { { KEYS[1], 'failed' } }
if ARGV[3] == '1' then sets[2] = { KEYS[2], 'done' } end
local moved = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local key = prefix .. id
  for _, s in ipairs(sets) do
    local score = redis.call('ZSCORE', s[1], id)
    if score then
      local created = tonumber(redis.call('HGET', key, 'timestamp') or '0') or 0
      if created < since then
        local stamp = redis.call('HGET', key, 'finishedOn') or score
        local archived = id .. '-' .. s[2] .. '-' .. stamp
        local n = 1
        while redis.call('EXISTS', prefix .. archived) == 1 do
          archived = id .. '-' .. s[2] .. '-' .. stamp .. '-' .. n
          n = n + 1
        end
        redis.call('RENAME', key, prefix .. archived)
        for _, suffix in ipairs({ ':logs', ':unsuccessful', ':failed', ':processed', ':dependencies' }) do
          if redis.call('EXISTS', key .. suffix) == 1 then redis.call('RENAME', key .. suffix, prefix .. archived .. suffix) end
        end
        redis.call('ZREM', s[1], id)
        redis.call('ZADD', s[1], score, archived)
        moved[#moved + 1] = id
      end
      break
    end
  end
end
return moved
`;

type SupersedeClient = Redis & {
  splitsSupersede(failedKey: string, completedKey: string, prefix: string, since: number, completedToo: string, ...ids: string[]): Promise<string[]>;
};
const defined = new WeakSet<Redis>();

/** See SUPERSEDE_LUA. `connection` is the producer connection the queue was created on. */
export async function supersedeFinished(connection: Redis, queue: Queue, ids: string[], since: number, after: RerunAfter): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  if (!defined.has(connection)) {
    connection.defineCommand('splitsSupersede', { numberOfKeys: 2, lua: SUPERSEDE_LUA });
    defined.add(connection);
  }
  const moved = await (connection as SupersedeClient).splitsSupersede(
    queue.keys.failed!,
    queue.keys.completed!,
    queue.toKey(''),
    since,
    after === 'finish' ? '1' : '0',
    ...ids,
  );
  return new Set(moved);
}
