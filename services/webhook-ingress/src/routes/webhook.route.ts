import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, IntervalsWebhookBodySchema } from '@splits/contracts';
import { errorCodeFor } from '@splits/http';
import { metrics } from '@splits/telemetry';
import { authenticateDelivery, receiveWebhook, type WebhookDeps } from '../webhook.service.js';

export const WebhookReceiptSchema = z.object({ ok: z.literal(true), received: z.number().int(), stored: z.number().int() });

/** Deliveries carry up to 1000 events; full activity objects are a few KB each. Larger: 413. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * Order of the checks, cheapest first: the per-IP limit (onRequest, before the body is read), the size
 * (while reading), the nesting depth and JSON syntax (parser), the secret (preValidation), and only
 * then the events (body schema).
 */
export const webhookRoutes =
  (deps: WebhookDeps & { rateLimit?: ((req: FastifyRequest) => Promise<void>) | null }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/webhooks/intervals',
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        ...(deps.rateLimit ? { onRequest: deps.rateLimit } : {}),
        preValidation: async (req) => authenticateDelivery(deps.secretDigest, req.body),
        // Every refusal, whichever check made it (rate limit, size, JSON, secret, schema), by its error code.
        onResponse: async (_req, reply) => {
          if (reply.statusCode >= 400) metrics().webhooksRejected.inc({ reason: errorCodeFor(reply.statusCode) });
        },
        schema: {
          operationId: 'receiveIntervalsWebhook',
          body: IntervalsWebhookBodySchema,
          response: {
            200: WebhookReceiptSchema,
            400: ErrorBodySchema,
            401: ErrorBodySchema,
            413: ErrorBodySchema,
            429: ErrorBodySchema,
            503: ErrorBodySchema,
          },
        },
      },
      async (req) => receiveWebhook(deps, req.body),
    );
  };
