import { MeSchema, type Me } from '@splits/contracts';
import { getAthlete, type Db } from '@splits/db';
import { NotFoundError } from '../errors.js';

/** Who a token belongs to (GET /me, MCP whoami). */
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
