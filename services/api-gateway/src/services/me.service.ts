import { z } from 'zod';
import { getAthlete, type Db } from '@splits/db';
import { NotFoundError } from '../errors.js';

/** Who a token belongs to (GET /me, MCP whoami). The schema is the allow-list: no credential ever leaves. */
export const MeSchema = z.object({
  athleteId: z.string(),
  name: z.string().nullable(),
  timezone: z.string(),
  intervalsAthleteId: z.string(),
  connection: z.object({ kind: z.enum(['api_key', 'oauth']), status: z.string() }),
});
export type Me = z.infer<typeof MeSchema>;

export async function getMe(db: Db, athleteId: string): Promise<Me> {
  const row = await getAthlete(db, athleteId);
  // A valid token whose athlete is gone cannot happen (tokens cascade), but never answer with someone else.
  if (!row) throw new NotFoundError('athlete not found');
  return MeSchema.parse({
    athleteId: row.id,
    name: row.name,
    timezone: row.timezone,
    intervalsAthleteId: row.intervals_athlete_id,
    connection: { kind: row.auth_kind, status: row.status },
  });
}
