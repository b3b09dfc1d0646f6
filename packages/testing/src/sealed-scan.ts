import { sql } from 'kysely';
import type { Db } from '@splits/db';

/**
 * Sealed values (`encryptSecret`'s `v2.<kid>.<iv>.<tag>.<ct>`, or the older `v1.<iv>.<tag>.<ct>`:
 * a 12-byte IV and a 16-byte GCM tag, base64url) anywhere in the database: every text and JSON
 * column of every table, by the values' format rather than by the column's name. Tests use it to
 * find sealed columns missing from SEALED_COLUMNS and values still under an old key.
 */
export interface SealedValues {
  /** `table.column` */
  column: string;
  /** The key ids the values name (`v1` for the key-less format), sorted. */
  kids: string[];
  count: number;
}

const V2 = String.raw`v2\.([A-Za-z0-9_-]{1,32})\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*`;
const V1 = String.raw`v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*`;

export async function findSealedValues(db: Db): Promise<SealedValues[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public'
       and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
     order by 1, 2`.execute(db);
  const out: SealedValues[] = [];
  for (const { table_name, column_name } of columns) {
    const col = sql`${sql.ref(`${table_name}.${column_name}`)}::text`;
    const { rows } = await sql<{ kid: string; n: string }>`
      select coalesce(substring(${col} from ${V2}), 'v1') as kid, count(*)::text as n
        from ${sql.table(table_name)}
       where ${col} ~ ${`${V2}|${V1}`}
       group by 1`.execute(db);
    if (rows.length) {
      out.push({ column: `${table_name}.${column_name}`, kids: rows.map((r) => r.kid).sort(), count: rows.reduce((s, r) => s + Number(r.n), 0) });
    }
  }
  return out;
}
