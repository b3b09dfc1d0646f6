import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';

/** The one status → code table for every fastify service: what a client reads in `error.code`. */
export const ERROR_CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal',
  501: 'not_configured',
  502: 'upstream_error',
  503: 'unavailable',
};

export const errorCodeFor = (status: number): string => ERROR_CODE_BY_STATUS[status] ?? (status < 500 ? 'bad_request' : 'internal');

const send = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

/** Request validation, as `querystring.limit: Too big…`, at most five issues. */
function validationMessage(err: FastifyError): string | null {
  if (!hasZodFastifySchemaValidationErrors(err)) return null;
  const where = err.validationContext ?? 'request';
  return err.validation
    .slice(0, 5)
    .map((v) => {
      const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return `${where}${field ? `.${field}` : ''}: ${v.message}`;
    })
    .join('; ');
}

const isBadJson = (err: FastifyError) =>
  err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';

/**
 * The one error handler (and not-found handler) of a fastify service: every failure leaves as
 * `{error:{code,message}}`. A message never quotes the request body (a JSON parse error would echo
 * part of it, a secret included), and a 5xx never carries internals.
 */
export function useErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => send(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const refuse = (status: number, code: string, message: string) => {
      req.log.debug({ statusCode: status, code, message }, 'request refused');
      return send(reply, status, code, message);
    };
    if (err instanceof HttpError) {
      for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
      if (err.statusCode < 500) return refuse(err.statusCode, err.code, err.message);
      req.log.warn({ statusCode: err.statusCode, code: err.code, cause: (err.cause as Error | undefined)?.message }, err.message);
      return send(reply, err.statusCode, err.code, err.message);
    }
    const invalid = validationMessage(err);
    if (invalid !== null) return refuse(400, 'bad_request', invalid);
    if (isBadJson(err)) return refuse(400, 'bad_request', 'body is not valid JSON');
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return refuse(status, errorCodeFor(status), err.message);
    req.log.error({ err }, 'request failed');
    return send(reply, 500, 'internal', 'internal error');
  });
}

/**
 * The errors fastify answers before any route or hook runs (a URL that does not decode, e.g.
 * /trainings/%), in the same shape. Pass as Fastify's `frameworkErrors` option.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  void send(reply, 400, 'bad_request', err.message);
}
