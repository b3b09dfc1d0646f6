import { z } from 'zod';
import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import { lean } from './lean-schema.js';
import type { Logger } from 'pino';
import {
  DateWindowQuerySchema,
  DeletePlannedWorkoutsQuerySchema,
  MeSchema,
  PlannedEventsResponseSchema,
  PlannedWriteResponseSchema,
  SummaryQuerySchema,
  SummaryResponseSchema,
  ProfileEditSchema,
  ProfileSchema,
  ReviewQuerySchema,
  ReviewResponseSchema,
  TrainingParamsSchema,
  TrainingResponseSchema,
  TrainingsQuerySchema,
  TrainingsResponseSchema,
  topLevelOf,
  UpsertPlannedWorkoutsBodySchema,
  WellnessResponseSchema,
} from '@splits/contracts';
import type { Db } from '@splits/db';
import type { Queues } from '@splits/queue';
import { HttpError } from '../errors.js';
import { getTraining, getTrainings, MCP_RESPONSE_CHARS, type TrainingsCache } from '../services/trainings.service.js';
import { editProfile, getProfile } from '../services/profile.service.js';
import { getReview } from '../services/review.service.js';
import { getMe } from '../services/me.service.js';
import { getSummary, type SummaryCache } from '../services/summary.service.js';
import { getWellness } from '../services/wellness.service.js';
import { getPlannedEvents } from '../services/events.service.js';
import { deletePlannedWorkouts, upsertPlannedWorkouts, type CalendarDeps } from '../services/calendar.service.js';

export interface McpDeps extends CalendarDeps {
  /** Validated record JSON shared with GET /trainings. */
  records?: TrainingsCache;
  /** Summary answers shared with GET /summary. */
  summaries?: SummaryCache;
  firstSummaryWaitMs?: number;
  db: Db;
  log: Logger;
  /** Summary rebuild requests (a stale summary asks for one). */
  queues: Queues;
}

const READ = { readOnlyHint: true, openWorldHint: false } as const;
const WRITE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true } as const;

/**
 * The MCP server for one request of one athlete: the athlete id is bound here, after bearer auth,
 * so no tool can reach another athlete's data. Tools call the same service functions as the REST
 * routes, and take their arguments through the same contract schemas (@splits/contracts), so a
 * date, bound or text REST refuses is refused here too (a tool error naming the field). Tool texts are sent into the model's context on every turn: keep them short (all tools
 * together well under 10,000 characters, DESIGN §6); output schemas are the top level of the contract's response schemas (topLevelOf).
 */
export function buildMcpServer(deps: McpDeps, athleteId: string): McpServer {
  const server = new McpServer({ name: 'splits', version: '0.2.0' });
  const run = (fn: () => Promise<object>) => runTool(deps.log, fn);

  server.registerTool(
    'get_athlete_summary',
    {
      description:
        'Read first: goals, condition and risk flags, last 30 trainings, weekly/monthly history, VDOT and paces, wellness, next 7 days. If parts > 1, fetch the others. version skips an unchanged one.',
      inputSchema: lean(SummaryQuerySchema),
      outputSchema: lean(topLevelOf(SummaryResponseSchema)),
      annotations: { title: 'Athlete summary', ...READ },
    },
    (args) => run(() => getSummary({ db: deps.db, queues: deps.queues, log: deps.log, cache: deps.summaries, firstSummaryWaitMs: deps.firstSummaryWaitMs }, athleteId, args)),
  );

  server.registerTool(
    'get_trainings',
    {
      description:
        'Completed workouts, newest first; full=true adds laps as a table (30 runs with laps in one call). Thresholds and zones once, in athlete. Too large: trimmed, see note.',
      inputSchema: lean(TrainingsQuerySchema),
      outputSchema: lean(topLevelOf(TrainingsResponseSchema)),
      annotations: { title: 'Trainings', ...READ },
    },
    (args) => run(() => getTrainings(deps.db, athleteId, args, { cache: deps.records, budget: MCP_RESPONSE_CHARS })),
  );

  server.registerTool(
    'get_training',
    {
      description: 'One completed workout by id (trn_…) with its intervals.',
      inputSchema: lean(TrainingParamsSchema),
      outputSchema: lean(topLevelOf(TrainingResponseSchema)),
      annotations: { title: 'One training', ...READ },
    },
    (args) => run(() => getTraining(deps.db, athleteId, args.id, MCP_RESPONSE_CHARS)),
  );

  server.registerTool(
    'get_review',
    {
      description:
        'Plan vs actual per day: compliance (duration, distance, load, work reps vs target), missed, unplanned, week totals. Default this week.',
      inputSchema: lean(ReviewQuerySchema),
      outputSchema: lean(topLevelOf(ReviewResponseSchema)),
      annotations: { title: 'Plan vs actual', ...READ },
    },
    (args) => run(() => getReview(deps.db, athleteId, args)),
  );

  server.registerTool(
    'get_profile',
    {
      description: "The athlete's goals, rules, strategy and about, verbatim.",
      outputSchema: lean(topLevelOf(ProfileSchema)),
      annotations: { title: 'Profile', ...READ },
    },
    () => run(() => getProfile(deps.db, athleteId)),
  );

  server.registerTool(
    'update_profile',
    {
      description: 'Change goals, rules, strategy or about; fields left out stay. Pass the revision you read.',
      inputSchema: lean(ProfileEditSchema),
      outputSchema: lean(topLevelOf(ProfileSchema)),
      annotations: { title: 'Update profile', ...WRITE, openWorldHint: false },
    },
    (args) => run(() => editProfile({ db: deps.db, queues: deps.queues, log: deps.log }, athleteId, args)),
  );

  server.registerTool(
    'get_wellness',
    {
      description: 'Daily wellness: fitness, fatigue, form, resting HR, HRV, sleep, weight, feel. Default last 14 days.',
      inputSchema: lean(DateWindowQuerySchema),
      outputSchema: lean(topLevelOf(WellnessResponseSchema)),
      annotations: { title: 'Wellness', ...READ },
    },
    (args) => run(() => getWellness(deps.db, athleteId, args)),
  );

  server.registerTool(
    'get_planned_events',
    {
      description: 'Planned workouts and notes on the Intervals.icu calendar. Default the next 14 days.',
      inputSchema: lean(DateWindowQuerySchema),
      outputSchema: lean(topLevelOf(PlannedEventsResponseSchema)),
      annotations: { title: 'Planned events', ...READ },
    },
    (args) => run(() => getPlannedEvents(deps.db, athleteId, args)),
  );

  server.registerTool(
    'upsert_planned_workouts',
    {
      description:
        "Write planned workouts to Intervals.icu; the same externalId updates, never duplicates. description is Intervals.icu workout text, checked first: steps start with '- ', m=minutes, mtr=metres, runs need HR or Pace targets ('- 10m Z2 HR', '- 400mtr 3:50/km Pace'), repeats 'Main Set 4x' with empty lines around. dry_run previews.",
      inputSchema: lean(UpsertPlannedWorkoutsBodySchema),
      outputSchema: lean(topLevelOf(PlannedWriteResponseSchema)),
      annotations: { title: 'Write planned workouts', ...WRITE },
    },
    (args) => run(() => upsertPlannedWorkouts(deps, athleteId, args)),
  );

  server.registerTool(
    'delete_planned_workouts',
    {
      description: 'Delete planned workouts by ids, external_ids, external-id prefix and/or date window (all given must match; a window alone deletes only workouts). dry_run lists what would go.',
      inputSchema: lean(DeletePlannedWorkoutsQuerySchema),
      outputSchema: lean(topLevelOf(PlannedWriteResponseSchema)),
      annotations: { title: 'Delete planned workouts', ...WRITE },
    },
    (args) => run(() => deletePlannedWorkouts(deps, athleteId, args)),
  );

  server.registerTool(
    'whoami',
    {
      description: 'The athlete of this connection and their Intervals.icu connection state.',
      outputSchema: lean(topLevelOf(MeSchema)),
      annotations: { title: 'Who am I', ...READ },
    },
    () => run(() => getMe(deps.db, athleteId)),
  );

  return server;
}

/** JSON as text (for every client) and as structuredContent; expected errors become tool errors, internals never leak. */
async function runTool(log: Logger, fn: () => Promise<object>): Promise<CallToolResult> {
  try {
    const data = await fn();
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data as Record<string, unknown> };
  } catch (err) {
    const error = err instanceof HttpError ? { code: err.code, message: err.message } : err instanceof z.ZodError ? { code: 'bad_request', message: err.message } : null;
    if (!error) log.error({ err }, 'mcp tool failed');
    return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: error ?? { code: 'internal', message: 'internal error' } }) }] };
  }
}
