import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface BasicCredentials {
  user: string;
  password: string;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality, also across lengths: both sides are hashed to 32 bytes first. */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function parseBasic(header: string | undefined): BasicCredentials | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  return sep < 0 ? null : { user: decoded.slice(0, sep), password: decoded.slice(sep + 1) };
}

/** onRequest hook: HTTP basic auth for every route except `open` paths (health probes). */
export function basicAuth(expected: BasicCredentials, open: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (open.includes(req.url.split('?')[0]!)) return;
    const given = parseBasic(req.headers.authorization);
    // Both comparisons always run, so timing does not tell which half was wrong.
    const userOk = safeEqual(given?.user ?? '', expected.user);
    const passwordOk = safeEqual(given?.password ?? '', expected.password);
    if (given && userOk && passwordOk) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Basic realm="splits-dashboard", charset="UTF-8"')
      .send({ error: { code: 'unauthorized', message: 'dashboard credentials required' } });
  };
}
