import type { Migration } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_inbox_pending.js';
import * as m0003 from './0003_inbox_payload_json.js';
import * as m0004 from './0004_intervals_depth.js';
import * as m0005 from './0005_training_intel.js';
import * as m0007 from './0007_telegram.js';
import * as m0006 from './0006_gateway.js';
import * as m0008 from './0008_summary.js';
import * as m0009 from './0009_change_feed.js';
import * as m0010 from './0010_workout_record_rev.js';
import * as m0011 from './0011_report_pending.js';
import * as m0012 from './0012_oauth_browser_binding.js';
import * as m0013 from './0013_inbox_rejected_retention.js';
import * as m0014 from './0014_job_outbox.js';
import * as m0016 from './0016_workout_parts.js';
import * as m0017 from './0017_workout_best_effort.js';
import * as m0018 from './0018_classified_with.js';
import * as m0019 from './0019_pace_model.js';
import * as m0020 from './0020_consent.js';
import * as m0021 from './0021_athlete_language.js';
import * as m0023 from './0023_trace_context.js';
import * as m0024 from './0024_web_session.js';
import * as m0025 from './0025_athlete_read_changes.js';

/** Static list: works the same under tsx, jest and any bundler. Append only; never edit a landed migration. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_inbox_pending': m0002,
  '0003_inbox_payload_json': m0003,
  '0004_intervals_depth': m0004,
  '0005_training_intel': m0005,
  '0007_telegram': m0007,
  '0006_gateway': m0006,
  '0008_summary': m0008,
  '0009_change_feed': m0009,
  '0010_workout_record_rev': m0010,
  '0011_report_pending': m0011,
  '0012_oauth_browser_binding': m0012,
  '0013_inbox_rejected_retention': m0013,
  '0014_job_outbox': m0014,
  '0016_workout_parts': m0016,
  '0017_workout_best_effort': m0017,
  '0018_classified_with': m0018,
  '0019_pace_model': m0019,
  '0020_consent': m0020,
  '0021_athlete_language': m0021,
  '0023_trace_context': m0023,
  '0024_web_session': m0024,
  '0025_athlete_read_changes': m0025,
};
