import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from './logger.js';
import { Shutdown } from './shutdown.js';
import { startHealthServer } from './health.js';
import { redactDeep, redactString } from './redact.js';
import { redactAttributes } from './span-redaction.js';
import { QuietQueueHousekeepingSampler } from './sampler.js';
import { ROOT_CONTEXT, SamplingDecision, SpanKind } from '@opentelemetry/api';

const silent = pino({ level: 'silent' });

describe('Shutdown', () => {
  it('closes resources in reverse order of registration', async () => {
    const order: string[] = [];
    const s = new Shutdown(silent, 1000);
    s.register('pool', () => void order.push('pool'));
    s.register('queues', async () => void order.push('queues'));
    s.register('http', () => void order.push('http'));
    await s.run();
    expect(order).toEqual(['http', 'queues', 'pool']);
  });

  it('keeps closing the rest when one closer fails, and runs only once', async () => {
    let closed = 0;
    const s = new Shutdown(silent, 1000);
    s.register('a', () => void closed++);
    s.register('b', () => {
      throw new Error('boom');
    });
    await Promise.all([s.run(), s.run()]);
    expect(closed).toBe(1);
  });

  it('gives up at the hard deadline', async () => {
    const s = new Shutdown(silent, 50);
    s.register('stuck', () => new Promise(() => undefined));
    await expect(s.run()).rejects.toThrow(/exceeded 50 ms/);
  });
});

describe('logger', () => {
  it('redacts secrets wherever they sit', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('t', 'info', sink);
    log.info({ secret: 's3cr3t', job: { token: 'tok-1' }, req: { headers: { authorization: 'Bearer abc' } } }, 'x');
    const out = lines.join('');
    for (const s of ['s3cr3t', 'tok-1', 'Bearer abc']) expect(out).not.toContain(s);
    expect(out).toContain('[redacted]');
  });

  it('redacts the usual secret names in any case and at any depth, and secret values inside URLs, keeping the rest', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('t', 'info', sink);
    const secrets = ['v-auth', 'v-cookie', 'v-setcookie', 'v-at1', 'v-at2', 'v-rt', 'v-cs', 'v-ak1', 'v-ak2', 'v-pw', 'v-sec', 'v-tok', 'v-webhook', 'v-code', 'v-bot'];
    log.info(
      {
        headers: { Authorization: 'v-auth', COOKIE: 'v-cookie', 'Set-Cookie': ['v-setcookie'] },
        job: { data: [{ accessToken: 'v-at1' }, { deep: { access_token: 'v-at2', Refresh_Token: 'v-rt' } }] },
        oauth: { client_secret: 'v-cs', apiKey: 'v-ak1', API_KEY: 'v-ak2', Password: 'v-pw', SECRET: 'v-sec', Token: 'v-tok', webhookSecret: 'v-webhook' },
        url: 'https://splits.example.com/connect/intervals/callback?code=v-code&state=keep-state',
        upstream: new URL('https://api.telegram.org/bot123:v-bot/sendMessage?chat_id=5'),
        athleteId: 'ath_keep',
        tokenId: 'tok_keep',
      },
      'callback %s',
      '/cb?access_token=v-at1&x=keep-x',
    );
    log.error({ err: new Error('GET https://api.telegram.org/bot123:v-bot/getMe?api_key=v-ak1 failed') }, 'telegram down');
    const out = lines.join('');
    for (const s of secrets) expect(out).not.toContain(s);
    for (const keep of ['ath_keep', 'tok_keep', 'state=keep-state', 'chat_id=5', 'x=keep-x', '/connect/intervals/callback?code=[redacted]', '/bot[redacted]/sendMessage', '/bot[redacted]/getMe', 'telegram down']) {
      expect(out).toContain(keep);
    }
    const first = JSON.parse(lines[0]!) as { headers: { Authorization: string }; msg: string };
    expect(first.headers.Authorization).toBe('[redacted]');
    expect(first.msg).toBe('callback /cb?access_token=[redacted]&x=keep-x');
  });

  it('leaves an object without secrets as it is (no copy) and an ordinary sentence unchanged', () => {
    const clean = { athleteId: 'ath_1', job: { queue: 'fetch-activity', attempts: [1, 2] }, at: new Date(0) };
    expect(redactDeep(clean)).toBe(clean);
    const dirty = { job: { queue: 'q', token: 't' } };
    expect(redactDeep(dirty)).toEqual({ job: { queue: 'q', token: '[redacted]' } });
    expect(dirty.job.token).toBe('t');
    expect(redactString('fetched 3 activities for ath_1 (a=b is not a query)')).toBe('fetched 3 activities for ath_1 (a=b is not a query)');
    expect(redactString('https://intervals.icu/api/v1/athlete/i1/activities?oldest=2026-01-01')).toBe('https://intervals.icu/api/v1/athlete/i1/activities?oldest=2026-01-01');
    expect(redactString('code=abc&state=s')).toBe('code=[redacted]&state=s');
  });
});

describe('span attributes', () => {
  it('redacts bot tokens and secret query values in URL attributes and secret-named attributes, in place', () => {
    const attrs: Parameters<typeof redactAttributes>[0] = {
      'url.full': 'http://127.0.0.1:9/bot123456:AAsecret-part/sendMessage',
      'http.url': 'https://splits.example.com/connect/intervals/callback?code=c0de&state=st',
      'http.target': '/connect/intervals/callback?code=c0de&state=st',
      'url.query': 'code=c0de&state=st',
      'url.path': '/bot123456%3AAAsecret-part/getUpdates',
      'http.request.header.authorization': ['Bearer spl_x'],
      'http.response.status_code': 200,
      'db.statement': 'select * from athlete where id = $1',
    };
    redactAttributes(attrs);
    expect(attrs).toEqual({
      'url.full': 'http://127.0.0.1:9/bot[redacted]/sendMessage',
      'http.url': 'https://splits.example.com/connect/intervals/callback?code=[redacted]&state=st',
      'http.target': '/connect/intervals/callback?code=[redacted]&state=st',
      'url.query': 'code=[redacted]&state=st',
      'url.path': '/bot[redacted]/getUpdates',
      'http.request.header.authorization': '[redacted]',
      'http.response.status_code': 200,
      'db.statement': 'select * from athlete where id = $1',
    });
  });
});

describe('health server', () => {
  it('answers /health always and /ready by its checks', async () => {
    let up = true;
    const h = await startHealthServer({ host: '127.0.0.1', port: 0, checks: { db: async () => { if (!up) throw new Error('down'); } } });
    try {
      expect((await fetch(`http://127.0.0.1:${h.port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${h.port}/ready`)).status).toBe(200);
      up = false;
      const res = await fetch(`http://127.0.0.1:${h.port}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not_ready', checks: { db: 'down' } });
    } finally {
      await h.close();
    }
  });
});

describe('QuietQueueHousekeepingSampler', () => {
  const sampler = new QuietQueueHousekeepingSampler();
  const decide = (name: string) => sampler.shouldSample(ROOT_CONTEXT, '0af7651916cd43dd8448eb211c80319c', name, SpanKind.INTERNAL, {}, []).decision;
  it("records no root span of BullMQ's housekeeping, and every other root", () => {
    for (const name of ['getNextJob fetch-activity', 'moveStalledJobsToWait classify', 'extendLocks build-summary', 'close notify-telegram']) expect(decide(name)).toBe(SamplingDecision.NOT_RECORD);
    for (const name of ['process fetch-activity', 'addBulk fetch-activity', 'add classify.classify', 'webhook receive', 'GET /trainings', 'closeAccount']) expect(decide(name)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
