import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError, UnauthorizedError } from '../errors.js';

/** Codes for the 4xx that fastify itself raises (bad JSON, body too large, wrong content type, …). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  415: 'unsupported_media_type',
};

/**
 * The errors fastify answers before any route or hook runs (a URL that does not decode, e.g.
 * /trainings/%), in the same `{error:{code,message}}` shape. Pass as Fastify's `frameworkErrors`.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  void reply.code(400).send({ error: { code: 'bad_request', message: err.message } });
}

/** The one error handler: every failure leaves as `{error:{code,message}}`; a 5xx never echoes internals. */
export function useErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const message = err.validation
        .map((v) => {
          const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
          return `${where}${field ? `.${field}` : ''}: ${v.message}`;
        })
        .join('; ');
      return reply.code(400).send({ error: { code: 'bad_request', message } });
    }
    if (err instanceof HttpError) {
      if (err instanceof UnauthorizedError) reply.header('www-authenticate', err.challenge);
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: CODE_BY_STATUS[status] ?? 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
}
