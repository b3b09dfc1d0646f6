import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBodySchema,
  ProfileEditSchema,
  ProfileHistoryQuerySchema,
  ProfileHistorySchema,
  ProfileRestoreSchema,
  ProfileSchema,
} from '@splits/contracts';
import { editProfile, getProfile, profileHistory, restoreProfile, type ProfileDeps } from '../services/profile.service.js';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema };

export const profileRoutes: FastifyPluginAsyncZod<ProfileDeps> = async (app, deps) => {
  app.get('/profile', {
    schema: { operationId: 'getProfile', summary: "The athlete's goals, rules and strategy, verbatim", tags: ['profile'], response: { 200: ProfileSchema, ...errors } },
    handler: (req) => getProfile(deps.db, req.athleteId),
  });

  app.patch('/profile', {
    schema: {
      operationId: 'updateProfile',
      summary: 'Change goals, rules, strategy or about; fields left out stay. Pass the revision you read.',
      tags: ['profile'],
      'x-openai-isConsequential': true,
      body: ProfileEditSchema,
      response: { 200: ProfileSchema, 409: ErrorBodySchema, ...errors },
    },
    handler: (req) => editProfile(deps, req.athleteId, req.body),
  });

  app.get('/profile/history', {
    schema: {
      operationId: 'getProfileHistory',
      summary: 'Earlier revisions of the profile, newest first',
      tags: ['profile'],
      querystring: ProfileHistoryQuerySchema,
      response: { 200: ProfileHistorySchema, ...errors },
    },
    handler: (req) => profileHistory(deps.db, req.athleteId, req.query),
  });

  app.post('/profile/restore', {
    schema: {
      operationId: 'restoreProfile',
      summary: 'Bring back an earlier revision (saved as a new revision)',
      tags: ['profile'],
      'x-openai-isConsequential': true,
      body: ProfileRestoreSchema,
      response: { 200: ProfileSchema, 404: ErrorBodySchema, 409: ErrorBodySchema, ...errors },
    },
    handler: (req) => restoreProfile(deps, req.athleteId, req.body.revision),
  });
};
