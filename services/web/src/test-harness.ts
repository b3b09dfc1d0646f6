import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createLoginCode, type Db } from '@splits/db';

/**
 * A browser for inject-based tests of the web pages: keeps the cookies the app sets, and reads the
 * CSRF token of the last page it loaded (every form carries it).
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly app: FastifyInstance, private readonly headers: Record<string, string> = {}) {}

  private remember(res: LightMyRequestResponse): void {
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1).trim());
      if (attrs.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const m = /name="csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...this.headers, cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  /** A form post; `csrf` defaults to the token of the last page loaded (pass '' to leave it out). */
  async post(url: string, form: Record<string, string> = {}, o: { csrf?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const csrf = o.csrf ?? this.csrf;
    const body = new URLSearchParams({ ...(csrf ? { csrf } : {}), ...form }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...this.headers, cookie: this.cookieHeader(), ...o.headers },
    });
    this.remember(res);
    return res;
  }

  /** Signs in with a fresh one-time code of this athlete (as from Telegram /login). */
  async signIn(db: Db, athleteId: string): Promise<void> {
    const { code } = await createLoginCode(db, athleteId, 60_000);
    await this.get('/signin');
    const res = await this.post('/signin', { code });
    if (res.statusCode !== 303 || res.headers.location !== '/') throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
    await this.get('/');
  }
}
