import type { FastifyPluginAsync } from 'fastify';
import { inboxCounts, type Db } from '@splits/db';
import { queueNamed, queueNames, retryAllFailed, retryFailedJob, UnknownQueueError, type Queues } from '@splits/queue';
import { HttpError } from '@splits/contracts';

/**
 * The operators' overview (issue 16): queue health, inbox backlog, failure rate, upstream rate and
 * 429s on one page, links into bull-board, and retry of failed jobs one by one and per queue. Queue
 * numbers come from Redis (BullMQ's per-minute metrics give the last hour's completed and failed),
 * the backlog from Postgres, the Intervals.icu rates from Prometheus when PROMETHEUS_URL is set;
 * what is not configured is shown as unknown, never guessed.
 */
export interface OverviewDeps {
  queues: Queues;
  db?: Db;
  prometheusUrl?: string;
  boardPath: string;
}

interface QueueRow {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completedLastHour: number;
  failedLastHour: number;
  failures: { id: string; reason: string }[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function queueRows(queues: Queues): Promise<QueueRow[]> {
  return Promise.all(
    queueNames.map(async (name) => {
      const q = queues[name];
      const [counts, done, failedM, recent] = await Promise.all([
        q.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        q.getMetrics('completed', 0, 59),
        q.getMetrics('failed', 0, 59),
        q.getFailed(0, 4),
      ]);
      return {
        name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completedLastHour: sum(done.data),
        failedLastHour: sum(failedM.data),
        failures: recent.map((j) => ({ id: j.id!, reason: (j.failedReason ?? '').slice(0, 160) })),
      };
    }),
  );
}

/** One instant-vector value from Prometheus, or null when not configured or not answering. */
async function promValue(base: string | undefined, query: string): Promise<number | null> {
  if (!base) return null;
  try {
    const res = await fetch(`${base.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const v = body.data?.result?.[0]?.value?.[1];
    return v === undefined ? 0 : Number(v);
  } catch {
    return null;
  }
}

const num = (v: number | null, digits = 2) => (v === null ? '<span class="unknown">unknown</span>' : v.toFixed(digits).replace(/\.?0+$/, '') || '0');

function render(rows: QueueRow[], inbox: Record<string, number> | null, upstream: { rps: number | null; r429: number | null }, board: string): string {
  const rate = (r: QueueRow) => (r.completedLastHour + r.failedLastHour === 0 ? null : (100 * r.failedLastHour) / (r.completedLastHour + r.failedLastHour));
  const queueHtml = rows
    .map((r) => {
      const link = `${board}/queue/${encodeURIComponent(r.name)}`;
      const failures = r.failures
        .map((f) => `<li><a href="${link}?status=failed">${esc(f.id)}</a> ${esc(f.reason)} <form method="post" action="/overview/queues/${encodeURIComponent(r.name)}/jobs/${encodeURIComponent(f.id)}/retry"><button>retry</button></form></li>`)
        .join('');
      const bulk = r.failed > 0 ? `<form method="post" action="/overview/queues/${encodeURIComponent(r.name)}/retry"><button>retry all ${r.failed} failed</button></form>` : '';
      return `<tr class="${r.failed > 0 ? 'bad' : ''}"><td><a href="${link}">${esc(r.name)}</a></td><td>${r.waiting}</td><td>${r.active}</td><td>${r.delayed}</td><td>${r.failed}</td><td>${r.completedLastHour}</td><td>${r.failedLastHour}</td><td>${rate(r) === null ? '–' : `${rate(r)!.toFixed(1)} %`}</td><td>${bulk}<ul>${failures}</ul></td></tr>`;
    })
    .join('\n');
  const inboxHtml = inbox
    ? Object.entries(inbox)
        .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`)
        .join('')
    : '<dt>inbox</dt><dd><span class="unknown">unknown (no database configured)</span></dd>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Splits — operations overview</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}td:first-child,td:last-child{text-align:left}tr.bad td{background:#fff3f3}form{display:inline}ul{margin:0;padding-left:1em;text-align:left}.unknown{color:#888}dl{display:grid;grid-template-columns:max-content max-content;gap:.2em 1em}</style></head>
<body><h1>Splits — operations overview</h1><p><a href="${board}">bull-board</a></p>
<h2>Inbox</h2><dl>${inboxHtml}</dl>
<h2>Intervals.icu</h2><dl><dt>requests/s (5 min)</dt><dd>${num(upstream.rps)}</dd><dt>429s/s (5 min)</dt><dd>${num(upstream.r429, 3)}</dd></dl>
<h2>Queues</h2><table><thead><tr><th>queue</th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th><th>done 1 h</th><th>failed 1 h</th><th>failure rate</th><th>failed jobs</th></tr></thead><tbody>
${queueHtml}
</tbody></table></body></html>`;
}

/**
 * A form post is the only kind of write here, and the browser sends the basic-auth credentials with
 * any site's post: a post must come from this origin (Origin, or Sec-Fetch-Site).
 */
function sameOrigin(headers: Record<string, string | string[] | undefined>): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string') {
    try {
      return new URL(origin).host === headers.host;
    } catch {
      return false;
    }
  }
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export const overviewRoutes =
  (deps: OverviewDeps): FastifyPluginAsync =>
  async (app) => {
    // The retry buttons post empty forms.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));
    app.addHook('preHandler', async (req) => {
      if (req.method === 'POST' && !sameOrigin(req.headers)) throw new HttpError(403, 'forbidden', 'cross-origin post refused');
    });
    const queue = (name: string) => {
      try {
        return queueNamed(name);
      } catch (err) {
        if (err instanceof UnknownQueueError) throw new HttpError(404, 'not_found', err.message);
        throw err;
      }
    };

    app.get('/overview', { schema: { hide: true } }, async (_req, reply) => {
      const [rows, inbox, rps, r429] = await Promise.all([
        queueRows(deps.queues),
        deps.db ? inboxCounts(deps.db) : Promise.resolve(null),
        promValue(deps.prometheusUrl, 'sum(rate(splits_intervals_requests_total[5m]))'),
        promValue(deps.prometheusUrl, 'sum(rate(splits_intervals_requests_total{status="429"}[5m]))'),
      ]);
      return reply.type('text/html; charset=utf-8').send(render(rows, inbox, { rps, r429 }, deps.boardPath));
    });
    app.post<{ Params: { queue: string } }>('/overview/queues/:queue/retry', { schema: { hide: true } }, async (req, reply) => {
      await retryAllFailed(deps.queues, queue(req.params.queue));
      return reply.redirect('/overview', 303);
    });
    app.post<{ Params: { queue: string; jobId: string } }>('/overview/queues/:queue/jobs/:jobId/retry', { schema: { hide: true } }, async (req, reply) => {
      if (!(await retryFailedJob(deps.queues, queue(req.params.queue), req.params.jobId))) throw new HttpError(404, 'not_found', `no failed job ${req.params.jobId}`);
      return reply.redirect('/overview', 303);
    });
  };
