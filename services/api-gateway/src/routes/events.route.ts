import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DateWindowQuerySchema,
  DeletePlannedWorkoutsQuerySchema,
  ErrorBodySchema,
  PlannedEventsResponseSchema,
  PlannedWriteResponseSchema,
  UpsertPlannedWorkoutsBodySchema,
} from '@splits/contracts';
import { getPlannedEvents } from '../services/events.service.js';
import { deletePlannedWorkouts, upsertPlannedWorkouts, type CalendarDeps } from '../services/calendar.service.js';

const writeErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  409: ErrorBodySchema,
  413: ErrorBodySchema,
  422: ErrorBodySchema,
  429: ErrorBodySchema,
  502: ErrorBodySchema,
  503: ErrorBodySchema,
};

export const eventsRoutes: FastifyPluginAsyncZod<CalendarDeps> = async (app, deps) => {
  app.get('/events', {
    schema: {
      operationId: 'getPlannedEvents',
      summary: 'Planned workouts and notes on the Intervals.icu calendar',
      description: 'Default: today and the next 13 days; at most 366 days per call.',
      tags: ['calendar'],
      querystring: DateWindowQuerySchema,
      response: { 200: PlannedEventsResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getPlannedEvents(deps.db, req.athleteId, req.query),
  });

  app.post('/events', {
    schema: {
      operationId: 'upsertPlannedWorkouts',
      summary: 'Write planned workouts to the Intervals.icu calendar (same externalId updates, never duplicates)',
      description:
        "description is Intervals.icu workout text, checked before writing: steps start with '- ', m = minutes, mtr = metres, runs use HR or Pace targets ('- 10m Z2 HR', '- 400mtr 3:50/km Pace'), repeats as 'Main Set 4x' with empty lines around the block. dry_run=true previews.",
      tags: ['calendar'],
      'x-openai-isConsequential': true,
      body: UpsertPlannedWorkoutsBodySchema,
      response: { 200: PlannedWriteResponseSchema, ...writeErrors },
    },
    handler: (req) => upsertPlannedWorkouts(deps, req.athleteId, req.body),
  });

  app.delete('/events', {
    schema: {
      operationId: 'deletePlannedWorkouts',
      summary: 'Delete planned workouts by ids, external_ids, external-id prefix and/or date window',
      description: 'All given selectors must match. A date window alone deletes only WORKOUT events. dry_run=1 lists what would go.',
      tags: ['calendar'],
      'x-openai-isConsequential': true,
      querystring: DeletePlannedWorkoutsQuerySchema,
      response: { 200: PlannedWriteResponseSchema, ...writeErrors },
    },
    handler: (req) => deletePlannedWorkouts(deps, req.athleteId, req.query),
  });
};
