import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { securityHeadersFor, useSecurityHeaders } from './security-headers.js';

const OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
};

describe('security headers, computed once', () => {
  it("are helmet's headers for the options", () => {
    const h = securityHeadersFor(OPTIONS);
    expect(h).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
    });
    expect(Object.isFrozen(h)).toBe(true);
  });

  it('go out on answers, 404s, errors and hijacked routes alike, and a route may still override one', async () => {
    const app = Fastify();
    useSecurityHeaders(app, OPTIONS);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/framed', async (_req, reply) => reply.header('x-frame-options', 'SAMEORIGIN').send('x'));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    app.get('/raw', (_req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' }).end('written by another library');
    });
    for (const url of ['/ok', '/nowhere', '/boom', '/raw']) {
      const res = await app.inject({ url });
      expect([url, res.headers['x-frame-options'], res.headers['content-security-policy']]).toEqual([url, 'DENY', "default-src 'none';frame-ancestors 'none'"]);
    }
    expect((await app.inject({ url: '/framed' })).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('refuses a CSP computed per request (it would be frozen at its first value)', () => {
    expect(() =>
      securityHeadersFor({ contentSecurityPolicy: { useDefaults: false, directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } }),
    ).toThrow(/scriptSrc is computed per request/);
  });
});
