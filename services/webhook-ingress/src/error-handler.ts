import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError, RateLimitedError } from './errors.js';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

const send = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ error: { code, message } });

/**
 * The app's one error handler: every failure leaves as `{error:{code,message}}`. Messages never
 * quote the request body (a JSON parse error would echo part of it, secret included), and a 5xx
 * never carries internals.
 */
export function errorHandler() {
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) => {
    req.log.debug({ statusCode: status, code, message }, 'request refused');
    return send(reply, status, code, message);
  };
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSec));
    if (err instanceof HttpError && err.statusCode < 500) return refuse(req, reply, err.statusCode, err.code, err.message);
    if (err instanceof HttpError) {
      req.log.warn({ code: err.code, cause: (err.cause as Error | undefined)?.message }, err.message);
      return send(reply, err.statusCode, err.code, err.message);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.slice(0, 5).map((v) => `${where}${v.instancePath === '/' ? '' : v.instancePath}: ${v.message}`);
      return refuse(req, reply, 400, 'bad_request', issues.join('; '));
    }
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return refuse(req, reply, 400, 'bad_request', 'body is not valid JSON');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return refuse(req, reply, status, CODES[status] ?? 'bad_request', err.message);
    req.log.error({ err }, 'request failed');
    return send(reply, 500, 'internal', 'internal error');
  };
}

export function notFoundHandler(_req: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, 'not_found', 'no such route');
}
