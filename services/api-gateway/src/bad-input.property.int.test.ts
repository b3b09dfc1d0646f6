import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { request } from 'node:http';
import { badValue, inputFor, queryValue, rawQuery, unknownKey, type JsonSchema } from './bad-input.arbitraries.js';
import { startHarness, type Harness } from './test-harness.js';

/**
 * Generated bad input against every route of the gateway (read from the fastify router, so a new
 * route is covered without touching this file) and every MCP tool (from tools/list), with Postgres
 * and the fake Intervals.icu behind. REST: never a 5xx, and a documented route's refusal is
 * `{error:{code,message}}`. MCP: a bad argument is a tool error or a JSON-RPC invalid-params error,
 * never an internal error.
 *
 * The seed is fixed unless FC_RANDOM=1; a failure prints fast-check's seed and path. Replay one
 * with FC_SEED=<seed> FC_PATH=<path> (FC_RUNS=<n> to try harder).
 */

// A fixed seed by default, so a run of the suite is repeatable (the same ~3,000 requests each time);
// FC_RANDOM=1 explores new inputs (and prints the seed of any failure to replay).
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.FC_RANDOM ? undefined : 20_261_206;
const PATH = process.env.FC_PATH;
/** Per route and method, and per tool: about 3,000 requests, 10-20 s on two cores. */
const RUNS = Number(process.env.FC_RUNS ?? 50);
const params = { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: true };

let gw: Harness;
let openapi: { paths: Record<string, Record<string, Operation>> };

interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

interface Route {
  method: string;
  /** fastify's form: /trainings/:id */
  url: string;
  /** The OpenAPI operation, when the route is documented. */
  op?: Operation;
}

/** Every route fastify answers, from its router's printout (`├── /profile (GET, HEAD, PATCH)`, children indented). */
function routesOf(printed: string): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/u.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url: stack.join('') });
  }
  return routes;
}

/** Parameter names any route might read: the documented ones and the OAuth/connect ones (undocumented). */
const KNOWN_KEYS = new Set([
  'client_id',
  'client_secret',
  'redirect_uri',
  'response_type',
  'code_challenge',
  'code_challenge_method',
  'state',
  'scope',
  'resource',
  'code',
  'code_verifier',
  'grant_type',
  'refresh_token',
  'token',
  'request_id',
  'ctx',
  'error',
  'redirect_uris',
  'client_name',
  'token_endpoint_auth_method',
  'jsonrpc',
  'method',
  'params',
  'id',
]);

beforeAll(async () => {
  gw = await startHarness('gwbadprop');
  openapi = gw.app.swagger() as typeof openapi;
  for (const ops of Object.values(openapi.paths)) {
    for (const op of Object.values(ops)) {
      for (const p of op.parameters ?? []) KNOWN_KEYS.add(p.name);
      for (const c of Object.values(op.requestBody?.content ?? {})) for (const k of Object.keys(c.schema.properties ?? {})) KNOWN_KEYS.add(k);
    }
  }
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

function allRoutes(): Route[] {
  return routesOf(gw.app.printRoutes({ commonPrefix: false })).map(({ method, url }) => ({
    method,
    url,
    op: openapi.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()],
  }));
}

const genericObject = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), unknownKey), badValue, { maxKeys: 4 });

/** One request for `route`: path parameters, query and body generated from its schema, or generic when undocumented. */
function requestFor(route: Route) {
  const op = route.op;
  const pathParams = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const paramSchema = (name: string, where: string) => op?.parameters?.find((p) => p.in === where && p.name === name)?.schema ?? { type: 'string' };
  const path = fc.tuple(
    ...pathParams.map((name) =>
      fc.oneof(
        { arbitrary: inputFor(paramSchema(name, 'path')).map((v) => encodeSegment(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))), weight: 4 },
        { arbitrary: fc.constantFrom('%', '%00', '%zz', '..', '%2F', 'a'.repeat(5_000)), weight: 1 },
      ),
    ),
  );
  // The documented query parameters as one object schema: valid, or with bad and unknown parameters.
  const documented = op?.parameters?.filter((p) => p.in === 'query') ?? [];
  const querySchema: JsonSchema = { type: 'object', properties: Object.fromEntries(documented.map((p) => [p.name, p.schema])) };
  const toQuery = (v: unknown) => {
    const q = new URLSearchParams();
    const entries = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [['q', v] as const];
    for (const [k, x] of entries) for (const s of queryValue(x)) q.append(k, s);
    return q.toString();
  };
  const query = fc.oneof(
    { weight: 6, arbitrary: (documented.length ? inputFor(querySchema) : genericObject).map(toQuery) },
    { weight: 1, arbitrary: rawQuery },
  );
  const bodySchema = op?.requestBody?.content['application/json']?.schema;
  const json = bodySchema ? fc.oneof({ arbitrary: inputFor(bodySchema), weight: 4 }, { arbitrary: badValue, weight: 1 }) : fc.oneof(genericObject, badValue);
  const body = fc.oneof(
    { weight: 8, arbitrary: json.map((v) => ({ type: 'application/json', payload: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,]', '\u0000', '', '{"__proto__":{"x":1}}', 'null').map((payload) => ({ type: 'application/json', payload })) },
    { weight: 1, arbitrary: genericObject.map((o) => ({ type: 'application/x-www-form-urlencoded', payload: new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, queryValue(v).join(',')])).toString() })) },
  );
  const auth = fc.oneof({ arbitrary: fc.constant('valid'), weight: 9 }, { arbitrary: fc.constantFrom('none', 'Bearer spl_nope', 'Bearer \u0000', 'Basic abc'), weight: 1 });
  return fc.record({ path, query, body: fc.option(body, { freq: 4 }), auth });
}

const ERROR_BODY = { error: { code: expect.any(String), message: expect.any(String) } };

describe('every route, generated bad input: never a 5xx', () => {
  it('finds the routes (the router printout parses, every documented operation is among them)', () => {
    const routes = allRoutes();
    const documented = Object.entries(openapi.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([...documented, 'POST /mcp', 'GET /connect/intervals/callback', 'POST /token']));
  });

  /**
   * fastify's inject for its own routes; real HTTP for the OAuth endpoints fastify hands to the MCP
   * SDK's express app, whose body parsers judge a stream by the socket (inject's fake request reads
   * as unfinished after one parser, so a second parser would fail where a real request cannot).
   */
  const viaExpress = (url: string) => /^\/(token|revoke|register|authorize|oauth\/|\.well-known\/)/.test(url);
  async function send(method: string, url: string, headers: Record<string, string>, payload: string | undefined) {
    const injected = () => gw.app.inject({ method: method as 'GET', url, headers, payload });
    if (!viaExpress(url)) return injected();
    const { hostname, port } = new URL(gw.baseUrl);
    return new Promise<{ statusCode: number; body: string; json(): unknown }>((resolve, reject) => {
      let req: ReturnType<typeof request>;
      try {
        req = request({ hostname, port, method, path: url, headers: payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) } });
      } catch {
        // Node's client refuses to send it (a character no header may carry). Sent raw, Node's server
        // parser would answer 400 before any route ran; inject would instead hand it to the express
        // app as a request whose body reads as unfinished, a state no real request reaches.
        resolve({ statusCode: 400, body: '', json: () => ({}) });
        return;
      }
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ statusCode: res.statusCode!, body: text, json: () => JSON.parse(text) as unknown }));
      });
      // Node's HTTP parser refused the request itself (a malformed URL or header): it answers 400 and
      // closes the connection, which the client sees as a reset. A refusal, not a 5xx.
      req.on('error', (err: NodeJS.ErrnoException) =>
        /ECONNRESET|socket hang up|Parse Error/.test(`${err.code} ${err.message}`) ? resolve({ statusCode: 400, body: '', json: () => ({}) }) : reject(err),
      );
      req.end(payload);
    });
  }

  it('answers every request below 500, documented routes with {error:{code,message}}', async () => {
    const failures: string[] = [];
    for (const route of allRoutes()) {
      const details = await fc.check(
        fc.asyncProperty(requestFor(route), async (r) => {
          let i = 0;
          const url = route.url.replace(/:(\w+)/g, () => r.path[i++]!) + (r.query ? `?${r.query}` : '');
          const headers: Record<string, string> = {};
          // DELETE /me with a valid token deletes the account this walk reads as (account.int.test.ts tests
          // it); here it gets every kind of bad authorization and input, but not a valid token.
          const deletesAccount = route.method === 'DELETE' && route.url === '/me';
          if (r.auth === 'valid' && !deletesAccount) headers.authorization = `Bearer ${gw.athlete.token}`;
          else if (r.auth === 'valid') headers.authorization = 'Bearer spl_nope';
          else if (r.auth !== 'none') headers.authorization = r.auth;
          if (r.body) headers['content-type'] = r.body.type;
          if (route.url === '/mcp') headers.accept = 'application/json, text/event-stream';
          const res = await send(route.method, url, headers, r.body?.payload);
          const what = `${route.method} ${url.slice(0, 300)} ${r.body?.payload.slice(0, 300) ?? ''} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500) throw new Error(`5xx: ${what}`);
          if (route.op && res.statusCode >= 400 && route.method !== 'HEAD') {
            let body: unknown;
            try {
              body = res.json();
            } catch {
              throw new Error(`not JSON: ${what}`);
            }
            if (!matches(body, ERROR_BODY)) throw new Error(`not {error:{code,message}}: ${what}`);
          }
        }),
        params,
      );
      if (details.failed) failures.push(`${route.method} ${route.url}: ${report(details)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('every MCP tool, generated bad arguments: a tool error or invalid params, never an internal error', () => {
  it('answers every call', async () => {
    const tools = (await rpc({ method: 'tools/list', params: {} })).body.result!.tools as { name: string; inputSchema: JsonSchema }[];
    expect(tools.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const tool of tools) {
      const args = fc.oneof({ arbitrary: inputFor(tool.inputSchema), weight: 5 }, { arbitrary: genericObject, weight: 1 });
      const details = await fc.check(
        fc.asyncProperty(args, async (a) => {
          const { status, body } = await rpc({ method: 'tools/call', params: { name: tool.name, arguments: a } });
          const what = `${tool.name}(${(JSON.stringify(a) ?? '').slice(0, 300)}) → ${status} ${JSON.stringify(body).slice(0, 400)}`;
          if (status >= 500) throw new Error(`5xx: ${what}`);
          // Refused at the HTTP edge before MCP saw it (a __proto__ key, a body over the limit): fine, in the one shape.
          if (status >= 400) {
            if (!matches(body, ERROR_BODY)) throw new Error(`not {error:{code,message}}: ${what}`);
            return;
          }
          if (body.error) {
            if (body.error.code !== -32602) throw new Error(`JSON-RPC error other than invalid params: ${what}`);
            return;
          }
          const result = body.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
          if (!result) throw new Error(`no result: ${what}`);
          const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
          if (result.isError && /"code":"internal"|internal error|Output validation error/i.test(text)) throw new Error(`internal error: ${what}`);
        }),
        params,
      );
      if (details.failed) failures.push(`${tool.name}: ${report(details)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

/** One JSON-RPC request as a 2026-07-28 client sends it (no session; protocol version in _meta). */
async function rpc(msg: { method: string; params: Record<string, unknown> }): Promise<{ status: number; body: { result?: Record<string, unknown>; error?: { code: number } } }> {
  const name = typeof msg.params.name === 'string' ? msg.params.name : undefined;
  const res = await fetch(`${gw.baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${gw.athlete.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': msg.method,
      ...(name ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: msg.method,
      params: { ...msg.params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
    }),
  });
  const text = await res.text();
  const json = text.startsWith('{') ? text : (text.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? '{}');
  return { status: res.status, body: JSON.parse(json) as { result?: Record<string, unknown>; error?: { code: number } } };
}

/** The failure and how to replay it; the counterexample itself can be megabytes of generated text. */
function report(details: { seed: number; counterexamplePath: string | null; errorInstance: unknown }): string {
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return `${error.slice(0, 1_500)}\n  replay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath}`;
}

/** A path segment as a client would send it; an unpaired surrogate goes as the bytes of its (invalid) UTF-8. */
function encodeSegment(s: string): string {
  return s.replace(/[\uD800-\uDFFF]/gu, '\uFFFD').split('\uFFFD').map(encodeURIComponent).join('%ED%A0%80');
}

function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}
