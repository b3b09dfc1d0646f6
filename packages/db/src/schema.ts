import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types (kysely). Keep in step with the migrations in ./migrations. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface AthleteTable {
  id: string;
  name: string | null;
  timezone: string;
  created_at: Generated<Date>;
}
export interface IntervalsConnectionTable {
  athlete_id: string;
  intervals_athlete_id: string;
  auth_kind: 'api_key' | 'oauth';
  credential_enc: string;
  scopes: string | null;
  poll_cursor: Date | null;
  status: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ApiTokenTable {
  id: string;
  athlete_id: string;
  token_hash: string;
  label: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
export interface TelegramLinkTable {
  athlete_id: string;
  chat_id: string;
  linked_at: Generated<Date>;
}
export interface WebhookInboxTable {
  id: Generated<string>;
  dedupe_key: string;
  type: string;
  intervals_athlete_id: string;
  athlete_id: string | null;
  activity_id: string | null;
  received_at: Generated<Date>;
  /** What the row is; whether it still awaits a queue is webhook_inbox_pending's business. */
  status: 'accepted' | 'ignored' | 'unknown_athlete';
  payload: Json;
}
export interface WebhookInboxPendingTable {
  inbox_id: string;
  received_at: Date;
}
export interface ActivitySourceTable {
  athlete_id: string;
  intervals_activity_id: string;
  activity: Json;
  intervals: Json | null;
  streams: Json | null;
  wellness: Json | null;
  fetched_at: Generated<Date>;
}
export interface WorkoutTable {
  id: string;
  athlete_id: string;
  intervals_activity_id: string;
  start_date: Timestamp;
  local_date: string | null;
  workout_type: string;
  session_type: string;
  provisional: boolean;
  rev: Generated<number>;
  record: Json;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface WellnessDayTable {
  athlete_id: string;
  date: string;
  data: Json;
  updated_at: Generated<Date>;
}
export interface AthleteSummaryTable {
  athlete_id: string;
  version: number;
  document: Json;
  built_at: Generated<Date>;
}
export interface NotificationTable {
  workout_id: string;
  kind: string;
  status: 'pending' | 'sent';
  chat_id: string;
  telegram_message_id: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface Database {
  athlete: AthleteTable;
  intervals_connection: IntervalsConnectionTable;
  api_token: ApiTokenTable;
  telegram_link: TelegramLinkTable;
  webhook_inbox: WebhookInboxTable;
  webhook_inbox_pending: WebhookInboxPendingTable;
  activity_source: ActivitySourceTable;
  workout: WorkoutTable;
  wellness_day: WellnessDayTable;
  athlete_summary: AthleteSummaryTable;
  notification: NotificationTable;
}

export type AthleteRow = Selectable<AthleteTable>;
export type IntervalsConnectionRow = Selectable<IntervalsConnectionTable>;
export type WebhookInboxRow = Selectable<WebhookInboxTable>;
export type WorkoutRow = Selectable<WorkoutTable>;
export type NewWorkout = Insertable<WorkoutTable>;
export type NotificationRow = Selectable<NotificationTable>;
