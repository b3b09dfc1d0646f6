import type { FastifyPluginAsync } from 'fastify';
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from '@splits/contracts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The privacy notice as a page (public): what is stored, why, where it goes, how long, export and delete. */
export function privacyPage(): string {
  const sections = PRIVACY_NOTICE.map((s) => `<h2>${escapeHtml(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`).join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Splits — Privacy</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}</style></head>` +
    `<body><h1>Privacy</h1><p>Version ${escapeHtml(PRIVACY_NOTICE_VERSION)}</p>${sections}</body></html>`
  );
}

export const privacyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/privacy', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/html; charset=utf-8').send(privacyPage()));
};
