import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet would set for `options`, worked out once. helmet's own fastify plugin rebuilds
 * its middleware (parsing the CSP directives again) on every request, about 8 % of the gateway's CPU
 * on a cached read; with static options the headers never differ, so they are computed here once.
 * Options whose values are functions (per-request CSP nonces) are refused rather than frozen.
 */
export function securityHeadersFor(options: HelmetOptions): Readonly<Record<string, string>> {
  const directives = options.contentSecurityPolicy && typeof options.contentSecurityPolicy === 'object' ? options.contentSecurityPolicy.directives : undefined;
  for (const [name, value] of Object.entries(directives ?? {})) {
    if (typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function'))) {
      throw new Error(`security headers: the CSP directive ${name} is computed per request; only static directives are supported`);
    }
  }
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  let failed: unknown = null;
  helmet(options)({} as never, res as never, (err?: unknown) => void (failed = err ?? null));
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return Object.freeze(headers);
}

/**
 * helmet's headers on every answer of `app` (errors, 404s and hijacked routes that write the raw
 * response included), set on the raw response at the start of each request as helmet does, so a
 * route or hook may still override one of them.
 */
export function useSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = Object.entries(securityHeadersFor(options));
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
