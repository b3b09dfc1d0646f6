import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConsentAnswerSchema, ConsentPatchSchema, ErasureResultSchema, ErrorBodySchema } from '@splits/contracts';
import { deleteAccount, exportAccount, getConsent, updateConsent, type AccountDeps } from '../services/account.service.js';

/**
 * The athlete's own data (issue 15): delete the account, export everything, see and change consent.
 * Not in the assistants' OpenAPI document and not MCP tools: an assistant must never delete an
 * account or pull a whole history by mistake; the athlete calls them with their token.
 */
export const accountRoutes: FastifyPluginAsyncZod<AccountDeps> = async (app, deps) => {
  app.delete('/me', {
    schema: {
      hide: true,
      operationId: 'deleteMe',
      summary: 'Deletes the account: every row Splits holds for the athlete, their queued jobs, tokens and grants',
      response: { 200: ErasureResultSchema, 401: ErrorBodySchema, 404: ErrorBodySchema },
    },
    handler: (req) => deleteAccount(deps, req.athleteId),
  });
  app.get('/me/export', {
    schema: { hide: true, operationId: 'exportMe', summary: 'Everything Splits holds for the athlete, as one JSON document (streamed)' },
    handler: (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="splits-export.json"')
        .type('application/json; charset=utf-8')
        .send(exportAccount(deps, req.athleteId)),
  });
  app.get('/me/consent', {
    schema: { hide: true, operationId: 'getConsent', summary: 'What the athlete agreed to, and when', response: { 200: ConsentAnswerSchema, 401: ErrorBodySchema } },
    handler: (req) => getConsent(deps.db, req.athleteId),
  });
  app.patch('/me/consent', {
    schema: {
      hide: true,
      operationId: 'updateConsent',
      summary: 'Allows or withdraws sending session data to the LLM provider; accepts the current privacy notice',
      body: ConsentPatchSchema,
      response: { 200: ConsentAnswerSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
    },
    handler: (req) => updateConsent(deps.db, req.athleteId, req.body),
  });
};
