import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';
import { healthRoutes, metricsPlugin, useErrorHandler } from './index.js';

function app() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const a = Fastify({ loggerInstance: pino({ level: 'debug' }, sink) as FastifyBaseLogger, bodyLimit: 100 }).withTypeProvider<ZodTypeProvider>();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  useErrorHandler(a);
  a.post('/echo', { schema: { body: z.object({ n: z.number().max(5) }) } }, async (req) => req.body);
  a.get('/refuse', async () => {
    throw new HttpError(401, 'unauthorized', 'no', { 'www-authenticate': 'Bearer' });
  });
  a.get('/upstream', async () => {
    throw new HttpError(502, 'upstream_error', 'Intervals.icu failed');
  });
  a.get('/bug', async () => {
    throw new Error('secret internals');
  });
  return { a, lines };
}

describe('the one HTTP edge', () => {
  it('answers every refusal as {error:{code,message}} with the code from the one table', async () => {
    const { a } = app();
    const tooLarge = await a.inject({ method: 'POST', url: '/echo', payload: { n: 1, pad: 'x'.repeat(200) } });
    expect([tooLarge.statusCode, tooLarge.json()]).toEqual([413, { error: { code: 'too_large', message: expect.any(String) } }]);
    const invalid = await a.inject({ method: 'POST', url: '/echo', payload: { n: 9 } });
    expect([invalid.statusCode, invalid.json().error.code, invalid.json().error.message]).toEqual([400, 'bad_request', expect.stringMatching(/^body\.n: /)]);
    const badJson = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"n": "sec' });
    expect(badJson.json()).toEqual({ error: { code: 'bad_request', message: 'body is not valid JSON' } });
    const media = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/csv' }, payload: 'n' });
    expect([media.statusCode, media.json().error.code]).toEqual([415, 'unsupported_media_type']);
    const missing = await a.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect([missing.statusCode, missing.json()]).toEqual([404, { error: { code: 'not_found', message: 'no route GET /nowhere' } }]);
    const refused = await a.inject({ method: 'GET', url: '/refuse' });
    expect([refused.statusCode, refused.headers['www-authenticate'], refused.json().error.code]).toEqual([401, 'Bearer', 'unauthorized']);
    await a.close();
  });

  it('logs a deliberate 5xx at warn and answers an unexpected error as a 500 that echoes nothing', async () => {
    const { a, lines } = app();
    const upstream = await a.inject({ method: 'GET', url: '/upstream' });
    expect([upstream.statusCode, upstream.json().error.code]).toEqual([502, 'upstream_error']);
    expect(lines.some((l) => l.level === 40 && l.msg === 'Intervals.icu failed')).toBe(true);
    const bug = await a.inject({ method: 'GET', url: '/bug' });
    expect([bug.statusCode, bug.json()]).toEqual([500, { error: { code: 'internal', message: 'internal error' } }]);
    expect(bug.body).not.toContain('secret');
    expect(lines.some((l) => l.level === 50 && l.msg === 'request failed')).toBe(true);
    await a.close();
  });

  it('/ready names the check that failed or did not answer in time', async () => {
    const a = Fastify();
    let pg: () => Promise<unknown> = async () => undefined;
    await a.register(healthRoutes({ checks: { postgres: () => pg(), redis: () => new Promise(() => undefined) }, timeoutMs: 50 }));
    expect((await a.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const slow = await a.inject({ url: '/ready' });
    expect([slow.statusCode, slow.json()]).toEqual([503, { status: 'not_ready', checks: { postgres: 'ok', redis: 'down' } }]);
    pg = async () => Promise.reject(new Error('refused'));
    expect((await a.inject({ url: '/ready' })).json().checks.postgres).toBe('down');
    await a.close();
  });

  it('counts requests by route pattern and serves /metrics to direct scrapes only', async () => {
    const { a } = app();
    await a.register(metricsPlugin);
    a.get('/items/:id', async () => ({ ok: true }));
    await a.inject({ url: '/items/1' });
    await a.inject({ url: '/items/2' });
    const direct = await a.inject({ url: '/metrics' });
    expect(direct.statusCode).toBe(200);
    expect(direct.body).toMatch(/splits_http_requests_total\{[^}]*route="\/items\/:id"[^}]*status="200"[^}]*\} [2-9]/);
    expect(direct.body).not.toContain('/items/1');
    const proxied = await a.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect([proxied.statusCode, proxied.json().error.code]).toEqual([404, 'not_found']);
    await a.close();
  });
});
