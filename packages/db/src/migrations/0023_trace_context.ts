import type { Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * One trace per workout (issue 16): work waiting in Postgres for a relay carries the trace context
 * of the request or job that made it (W3C trace context as a JSON carrier, `{"traceparent":…}`), so
 * the job the relay adds later continues that trace instead of starting its own. Only rows still
 * waiting hold it: a pending inbox row and a staged outbox row are deleted once queued.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_inbox_pending').addColumn('trace_context', 'text').execute();
  await db.schema.alterTable('job_outbox').addColumn('trace_context', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_outbox').dropColumn('trace_context').execute();
  await db.schema.alterTable('webhook_inbox_pending').dropColumn('trace_context').execute();
}
