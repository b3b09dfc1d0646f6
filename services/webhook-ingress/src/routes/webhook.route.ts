import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, IntervalsWebhookBodySchema } from '@splits/contracts';
import { receiveWebhook, type WebhookDeps } from '../webhook.service.js';

export const WebhookReceiptSchema = z.object({ ok: z.literal(true), received: z.number().int(), stored: z.number().int() });

/** Deliveries carry up to 1000 events; full activity objects are a few KB each. */
const BODY_LIMIT = 5 * 1024 * 1024;

export const webhookRoutes =
  (deps: WebhookDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/webhooks/intervals',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          operationId: 'receiveIntervalsWebhook',
          body: IntervalsWebhookBodySchema,
          response: { 200: WebhookReceiptSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 503: ErrorBodySchema },
        },
      },
      async (req) => receiveWebhook(deps, req.body),
    );
  };
