import type { Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('oauth_authorization')
    // SHA-256 of the nonce in the signed cookie of the browser that opened /authorize: only that
    // browser can complete the request. Null on rows from before this column: they never complete.
    .addColumn('browser_hash', 'text')
    // Who signed in through Intervals.icu and still has to allow the client on Splits' consent page.
    .addColumn('signed_in_athlete_id', 'text', (c) => c.references('athlete.id').onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_authorization').dropColumn('signed_in_athlete_id').dropColumn('browser_hash').execute();
}
