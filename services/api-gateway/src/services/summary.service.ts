import { SummaryResponseSchema, type SummaryQuery, type SummaryResponse } from '@splits/contracts';
import { getAthleteSummary, type Db } from '@splits/db';
import { NotFoundError } from '../errors.js';
import { assertFits } from './window.js';

/** The stored athlete summary; with the caller's current `version`, only "unchanged". */
export async function getSummary(db: Db, athleteId: string, query: SummaryQuery): Promise<SummaryResponse> {
  const row = await getAthleteSummary(db, athleteId);
  if (!row) throw new NotFoundError('no summary yet: it is built after the first workouts arrive');
  const changed = query.version === undefined || query.version !== row.version;
  const body = SummaryResponseSchema.parse({
    version: row.version,
    builtAt: row.built_at.toISOString(),
    changed,
    summary: changed ? row.document : null,
  });
  return assertFits(body, 'use GET /trainings for the detail');
}
