import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types (kysely). Keep in step with the migrations in ./migrations. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface AthleteTable {
  id: string;
  name: string | null;
  timezone: string;
  /** 'en' | 'ru': the athlete's choice (first contact in Telegram, /language); null until then (migration 0021). */
  language: string | null;
  created_at: Generated<Date>;
}
export interface IntervalsConnectionTable {
  athlete_id: string;
  intervals_athlete_id: string;
  auth_kind: 'api_key' | 'oauth';
  credential_enc: string;
  scopes: string | null;
  poll_cursor: Date | null;
  /** active | broken (401/403 from Intervals.icu) | revoked (deauthorized) */
  status: Generated<string>;
  status_reason: string | null;
  /** Encryption key id of credential_enc (also inside the ciphertext envelope). */
  key_id: string | null;
  last_polled_at: Date | null;
  reconciled_at: Date | null;
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
  /** Set when Telegram answered 403 (bot blocked): nothing is sent until the athlete links again. */
  disabled_at: Date | null;
  disabled_reason: string | null;
}
export interface WebhookInboxTable {
  id: Generated<string>;
  dedupe_key: string;
  type: string;
  intervals_athlete_id: string;
  athlete_id: string | null;
  activity_id: string | null;
  received_at: Generated<Date>;
  /**
   * What the row is; whether it still awaits a queue is webhook_inbox_pending's business. `rejected`:
   * accepted, but its jobs failed the queue catalog (status_reason says why); it is never queued.
   */
  status: 'accepted' | 'ignored' | 'unknown_athlete' | 'rejected';
  status_reason: string | null;
  /** The event as received; `{}` for an unknown athlete (only the dedupe key and ids are kept). */
  payload: Json;
}
export interface WebhookInboxPendingTable {
  inbox_id: string;
  received_at: Date;
  /** W3C trace context of the delivery (JSON carrier), so the relay continues its trace (migration 0023). */
  trace_context: string | null;
}
/** A job staged with the change it follows (transactional outbox, migration 0014); deleted once queued. */
export interface JobOutboxTable {
  /** bigserial, read as a string. */
  id: Generated<string>;
  queue: string;
  payload: Json;
  athlete_id: string | null;
  created_at: Generated<Date>;
  /** W3C trace context of the staging job (JSON carrier), so the relay continues its trace (migration 0023). */
  trace_context: string | null;
}
export interface ActivitySourceTable {
  athlete_id: string;
  intervals_activity_id: string;
  activity: Json;
  intervals: Json | null;
  streams: Json | null;
  wellness: Json | null;
  /** Revision marker of the source (analyzed/updated timestamps): identical → no work. */
  source_rev: string | null;
  fetched_at: Generated<Date>;
}
export interface WorkoutTable {
  id: string;
  athlete_id: string;
  intervals_activity_id: string;
  start_date: Timestamp;
  local_date: string | null;
  workout_type: string;
  provisional: boolean;
  rev: Generated<number>;
  /** What Intervals.icu said, normalised (the fetch-worker's part; the rest is composed in `workout_record`). */
  record: Json;
  /** Revision since which the lap structure is unchanged (migration 0016). */
  structure_rev: Generated<number>;
  /** Moves on every change of the composed record: `record`, the classification, a report (triggers, 0010 and 0016); bigint, read as a string. */
  record_rev: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Set when the activity was deleted on Intervals.icu: hidden from assistants. */
  deleted_at: Date | null;
  /** Set when the source cannot be read (e.g. Strava-sourced stub). */
  unavailable_reason: string | null;
}
export interface WellnessDayTable {
  athlete_id: string;
  date: string;
  data: Json;
  updated_at: Generated<Date>;
}
/** A run's best efforts as last measured (migration 0017); written by the summary worker only. */
export interface WorkoutBestEffortTable {
  workout_id: string;
  athlete_id: string;
  /** activity_source.fetched_at of the source measured: a re-fetch makes the row stale. */
  source_fetched_at: Date;
  /** BEST_EFFORTS_VERSION of the detection that measured it. */
  version: number;
  basis: string | null;
  /** StretchEffort[] */
  efforts: Json;
}
export interface AthleteSummaryTable {
  athlete_id: string;
  version: number;
  document: Json;
  built_at: Generated<Date>;
  content_hash: string | null;
  size_chars: number | null;
  build_ms: number | null;
  build_count: Generated<number>;
  last_reason: string | null;
}
export interface AthleteProfileTable {
  athlete_id: string;
  about: string | null;
  goals: Json;
  rules: Json;
  strategy: string | null;
  revision: number;
  updated_at: Generated<Date>;
}
export interface AthleteProfileHistoryTable {
  athlete_id: string;
  revision: number;
  /** {about, goals, rules, strategy} as saved. */
  profile: Json;
  /** edit | restore */
  source: string;
  restored_from: number | null;
  changed_at: Generated<Date>;
}
export interface NotificationTable {
  workout_id: string;
  kind: string;
  /** sending = claimed and possibly delivered (a crash mid-send leaves it: never sent again). */
  status: 'pending' | 'sending' | 'sent';
  chat_id: string;
  telegram_message_id: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface PlannedEventTable {
  athlete_id: string;
  intervals_event_id: string;
  external_id: string | null;
  /** WORKOUT, RACE_A, NOTE, … */
  category: string;
  type: string | null;
  name: string | null;
  description: string | null;
  local_date: string;
  start_date_local: string;
  moving_time: number | null;
  distance: number | null;
  load: number | null;
  /** The event as Intervals.icu returned it. */
  data: Json;
  updated_at: Generated<Date>;
}
export interface SportSettingsTable {
  athlete_id: string;
  settings_id: string;
  types: string[];
  data: Json;
  updated_at: Generated<Date>;
}

export interface TelegramLinkCodeTable {
  code_hash: string;
  athlete_id: string;
  expires_at: Timestamp;
  used_at: Date | null;
  created_at: Generated<Date>;
}
export interface TelegramPromptTable {
  chat_id: string;
  message_id: string;
  workout_id: string;
  created_at: Generated<Date>;
}
export interface ReminderSettingTable {
  athlete_id: string;
  enabled: Generated<boolean>;
  /** HH:MM in the athlete's time zone. */
  local_time: Generated<string>;
  last_sent_date: string | null;
  updated_at: Generated<Date>;
}
export interface WorkoutReportTable {
  id: string;
  workout_id: string;
  athlete_id: string;
  revision: number;
  text: string;
  source: string;
  source_ref: string | null;
  writeback_status: Generated<'pending' | 'written' | 'failed' | 'superseded'>;
  writeback_error: string | null;
  written_at: Date | null;
  created_at: Generated<Date>;
}
export interface OAuthClientTable {
  client_id: string;
  secret_enc: string | null;
  info: Json;
  created_at: Generated<Date>;
}
export interface LoginCodeTable {
  code_hash: string;
  athlete_id: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}
export interface OAuthAuthorizationTable {
  id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string;
  state: string | null;
  resource: string;
  athlete_id: string | null;
  code_hash: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
  /** SHA-256 of the browser-binding nonce (migration 0012); only that browser can complete the request. */
  browser_hash: string | null;
  /** Signed in through Intervals.icu, waiting on Splits' consent page (migration 0012). */
  signed_in_athlete_id: string | null;
}
export interface OAuthTokenTable {
  id: string;
  token_hash: string;
  kind: 'access' | 'refresh';
  family: string;
  athlete_id: string;
  client_id: string;
  resource: string;
  scopes: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

/** What the athlete agreed to (migration 0020): append-only, the latest row per kind is current. */
export interface AthleteConsentTable {
  id: Generated<string>;
  athlete_id: string;
  kind: 'privacy_notice' | 'llm';
  granted: boolean;
  notice_version: string;
  source: string;
  recorded_at: Generated<Date>;
}

export interface Database {
  athlete: AthleteTable;
  athlete_consent: AthleteConsentTable;
  intervals_connection: IntervalsConnectionTable;
  api_token: ApiTokenTable;
  telegram_link: TelegramLinkTable;
  webhook_inbox: WebhookInboxTable;
  webhook_inbox_pending: WebhookInboxPendingTable;
  job_outbox: JobOutboxTable;
  activity_source: ActivitySourceTable;
  workout: WorkoutTable;
  wellness_day: WellnessDayTable;
  athlete_summary: AthleteSummaryTable;
  workout_best_effort: WorkoutBestEffortTable;
  notification: NotificationTable;
  planned_event: PlannedEventTable;
  pace_model: PaceModelTable;
  sport_settings: SportSettingsTable;
  athlete_profile: AthleteProfileTable;
  athlete_profile_history: AthleteProfileHistoryTable;
  llm_classification: LlmClassificationTable;
  telegram_link_code: TelegramLinkCodeTable;
  telegram_prompt: TelegramPromptTable;
  reminder_setting: ReminderSettingTable;
  workout_report: WorkoutReportTable;
  workout_classification: WorkoutClassificationTable;
  workout_record: WorkoutRecordView;
  oauth_client: OAuthClientTable;
  login_code: LoginCodeTable;
  oauth_authorization: OAuthAuthorizationTable;
  oauth_token: OAuthTokenTable;
  web_session: WebSessionTable;
}

/** A signed-in browser of the athlete's web pages (migration 0024); the web service writes it. */
export interface WebSessionTable {
  id: string;
  token_hash: string;
  athlete_id: string;
  method: string;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

/** The classify-worker's part of a workout (migration 0016): composed into the record on read. */
/** Intervals.icu's critical-speed model per athlete, sport and day fetched (migration 0019); fetch-worker writes it. */
export interface PaceModelTable {
  athlete_id: string;
  sport: string;
  /** date */
  fetched_on: string;
  critical_speed: number | null;
  d_prime: number | null;
  r2: number | null;
  curve: Json;
  fetched_at: Generated<Date>;
}

export interface WorkoutClassificationTable {
  workout_id: string;
  /** The workout revision the classifier read. */
  rev: number;
  session_type: string;
  /** The record fields the classifier owns, as they appear in the record. */
  fields: Json;
  /** Each interval's role by position, when the analysis read the record's intervals. */
  roles: Json | null;
  classified_at: Generated<Date>;
  /** What the classification was computed from: calibrated threshold, history as of the start (migration 0018). */
  classified_with: Generated<string | null>;
}

/** The view of a workout as assistants receive it: its parts composed (migration 0016). Read only. */
export interface WorkoutRecordView {
  id: string;
  athlete_id: string;
  intervals_activity_id: string;
  start_date: Date;
  local_date: string | null;
  workout_type: string;
  provisional: boolean;
  rev: number;
  record_rev: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  unavailable_reason: string | null;
  /** The classification's session type, or the record's first guess. */
  session_type: string;
  record: unknown;
}

/** The LLM's answer per workout revision (cache; migration 0005). */
export interface LlmClassificationTable {
  workout_id: string;
  rev: number;
  session_type: string;
  confidence: number;
  reason: string;
  model: string;
  created_at: Generated<Date>;
}

export type AthleteRow = Selectable<AthleteTable>;
export type IntervalsConnectionRow = Selectable<IntervalsConnectionTable>;
export type WebhookInboxRow = Selectable<WebhookInboxTable>;
export type WorkoutRow = Selectable<WorkoutTable>;
export type NewWorkout = Insertable<WorkoutTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type PlannedEventRow = Selectable<PlannedEventTable>;
export type WorkoutReportRow = Selectable<WorkoutReportTable>;
