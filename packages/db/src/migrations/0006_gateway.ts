import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
// The gateway's OAuth 2.1 authorization server: registered clients, one-time sign-in codes,
// pending authorizations / authorization codes, and issued access + refresh tokens (all hashed).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oauth_client')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    /** Client secret sealed with TOKEN_ENCRYPTION_KEY; null for public clients (PKCE only). */
    .addColumn('secret_enc', 'text')
    /** RFC 7591 client metadata as registered (redirect_uris, client_name, …), without the secret. */
    .addColumn('info', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('login_code')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('oauth_authorization')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('oauth_client.client_id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('resource', 'text', (c) => c.notNull())
    /** Set once the athlete signed in; then code_hash is the authorization code's hash. */
    .addColumn('athlete_id', 'text', (c) => c.references('athlete.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('oauth_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('access', 'refresh')`))
    /** One grant (authorization) = one family; reuse of a rotated refresh token revokes the family. */
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('oauth_client.client_id').onDelete('cascade'))
    /** The resource (RFC 8707) the token is bound to: this gateway's URL. */
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('oauth_token_family_idx').on('oauth_token').column('family').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_token').execute();
  await db.schema.dropTable('oauth_authorization').execute();
  await db.schema.dropTable('login_code').execute();
  await db.schema.dropTable('oauth_client').execute();
}
