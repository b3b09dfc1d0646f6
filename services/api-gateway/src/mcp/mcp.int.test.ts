import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { TrainingsResponse } from '@splits/contracts';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-harness.js';

const q = openTestQueues('gwmcp');

let tdb: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let a: SeededAthlete;
let b: SeededAthlete;
let big: SeededAthlete;
const clients: { close(): Promise<void> }[] = [];
/** JSON-RPC methods that reached the server, per client kind. */
const seen: Record<'modern' | 'legacy', string[]> = { modern: [], legacy: [] };

function recording(kind: 'modern' | 'legacy'): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body === 'string') {
      const msg = JSON.parse(init.body) as { method?: string } | { method?: string }[];
      for (const m of Array.isArray(msg) ? msg : [msg]) if (m.method) seen[kind].push(m.method);
    }
    return fetch(input, init);
  };
}

beforeAll(async () => {
  tdb = await createTestDatabase('gwmcp');
  a = await seedAthlete(tdb.db, 'i4004', ['2026-04-01', '2026-04-03', '2026-04-05', '2026-04-06', '2026-04-08', '2026-04-09']);
  b = await seedAthlete(tdb.db, 'i5005', ['2026-04-02', '2026-04-04']);
  big = await seedAthlete(tdb.db, 'i6006', ['2026-04-01', '2026-04-02', '2026-04-03'], { intervals: 2500 });
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await app?.close();
  await tdb?.drop();
  await q.close();
});

/** The current SDK client: speaks the stateless 2026-07-28 revision (no initialize). */
async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: recording('modern'),
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** The 1.x SDK client: opens with initialize (2025-11-25 and older). */
async function connectLegacy(token: string): Promise<LegacyClient> {
  const client = new LegacyClient({ name: 'gateway-test-legacy', version: '1.0.0' });
  const transport = new LegacyTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: recording('legacy'),
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const rest = async (url: string, token: string) =>
  (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json() as TrainingsResponse;

describe('MCP over Streamable HTTP at /mcp', () => {
  it('lists every tool of DESIGN §6 with schemas, annotations and tight definitions', async () => {
    const client = await connect(a.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'delete_planned_workouts',
      'get_athlete_summary',
      'get_planned_events',
      'get_profile',
      'get_review',
      'get_training',
      'get_trainings',
      'get_wellness',
      'update_profile',
      'upsert_planned_workouts',
      'whoami',
    ]);
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(20);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      const write = t.name.startsWith('upsert') || t.name.startsWith('delete') || t.name.startsWith('update');
      if (write) expect(t.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
      else expect(t.annotations?.readOnlyHint).toBe(true);
    }
    const gt = tools.find((t) => t.name === 'get_trainings')!;
    expect(Object.keys(gt.inputSchema.properties ?? {}).sort()).toEqual(['full', 'limit', 'newest', 'offset', 'oldest']);
    // Sent into the model's context on every turn (DESIGN §6).
    console.log(`MCP tool list: ${JSON.stringify(tools).length} characters`);
    expect(JSON.stringify(tools).length).toBeLessThan(10_000);
    for (const name of ['get_trainings', 'get_wellness', 'get_planned_events', 'get_review']) {
      const props = tools.find((t) => t.name === name)!.inputSchema.properties as Record<string, { description?: string }>;
      expect(props.oldest!.description).toContain('this-week');
    }
  });

  it('serves the stateless revision without initialize, and 2025-era clients that send it', async () => {
    const modern = await connect(a.token);
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    await modern.listTools();
    expect(seen.modern).not.toContain('initialize');

    const legacy = await connectLegacy(a.token);
    expect(seen.legacy[0]).toBe('initialize');
    const viaLegacy = await legacy.callTool({ name: 'get_trainings', arguments: { limit: 2 } });
    const viaModern = await modern.callTool({ name: 'get_trainings', arguments: { limit: 2 } });
    expect(viaLegacy.structuredContent).toEqual(viaModern.structuredContent);
    expect((viaModern.structuredContent as TrainingsResponse).count).toBe(2);
  });

  it('answers a raw 2026-07-28 request that carries its version in _meta', async () => {
    const res = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${a.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'whoami',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: {
          name: 'whoami',
          arguments: {},
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    });
    const text = await res.text();
    expect(res.status === 200 ? 'ok' : text).toBe('ok');
    const json = JSON.parse(text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as {
      id: number;
      result: { structuredContent: { athleteId: string } };
    };
    expect(json.id).toBe(7);
    expect(json.result.structuredContent.athleteId).toBe(a.athleteId);
  });

  it('get_trainings returns the same records as GET /trainings', async () => {
    const client = await connect(a.token);
    const result = await client.callTool({
      name: 'get_trainings',
      arguments: { oldest: '2026-04-03', newest: '2026-04-08', limit: 3, full: true },
    });
    expect(result.isError).toBeFalsy();
    const viaRest = await rest('/trainings?oldest=2026-04-03&newest=2026-04-08&limit=3&full=1', a.token);
    expect(result.structuredContent).toEqual(viaRest);
    const [content] = result.content as { type: string; text: string }[];
    expect(content!.type).toBe('text');
    expect(JSON.parse(content!.text)).toEqual(viaRest);
    expect(viaRest.trainings.map((t) => t.localDate)).toEqual(['2026-04-08', '2026-04-06', '2026-04-05']);
    expect(viaRest.hasMore).toBe(true);
    expect(viaRest.trainings[0]!.intervals!.rows).toHaveLength(4);

    const lean = await client.callTool({ name: 'get_trainings', arguments: {} });
    const leanBody = lean.structuredContent as TrainingsResponse;
    expect(leanBody).toEqual(await rest('/trainings', a.token));
    expect(leanBody.count).toBe(6);
    for (const t of leanBody.trainings) expect(t).not.toHaveProperty('intervals');
  });

  it("a token's tools see only its own athlete", async () => {
    const client = await connect(b.token);
    const res = await client.callTool({ name: 'get_trainings', arguments: {} });
    const ids = (res.structuredContent as TrainingsResponse).trainings.map((t) => t.id).sort();
    expect(ids).toEqual([...b.workouts.values()].sort());
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ athleteId: b.athleteId, intervalsAthleteId: 'i5005' });
  });

  it('reports a single workout too large for a tool result as a tool error that suggests full=false', async () => {
    const client = await connect(big.token);
    const res = await client.callTool({ name: 'get_trainings', arguments: { full: true } });
    expect(res.isError).toBe(true);
    const [content] = res.content as { text: string }[];
    expect(JSON.parse(content!.text)).toEqual({ error: { code: 'too_large', message: expect.stringMatching(/full=0/) } });
    const lean = await client.callTool({ name: 'get_trainings', arguments: {} });
    expect((lean.structuredContent as TrainingsResponse).count).toBe(3);
  });

  it('rejects invalid arguments as a tool error', async () => {
    const client = await connect(a.token);
    const res = await client.callTool({ name: 'get_trainings', arguments: { limit: 51 } });
    expect(res.isError).toBe(true);
  });

  it('answers 401 JSON without a valid token', async () => {
    for (const headers of [{}, { authorization: 'Bearer spl_wrong' }] as Record<string, string>[]) {
      const res = await fetch(`${baseUrl}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
    await expect(connect('spl_wrong')).rejects.toThrow();
  });

  it('answers 405 to GET and DELETE', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${baseUrl}/mcp`, { method, headers: { authorization: `Bearer ${a.token}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
  });
});
