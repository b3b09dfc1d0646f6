import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TrainingsResponse } from '@splits/contracts';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-support.js';

const q = openTestQueues('gwmcp');

let tdb: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let a: SeededAthlete;
let b: SeededAthlete;
let big: SeededAthlete;
const clients: Client[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase('gwmcp');
  a = await seedAthlete(tdb.db, 'i4004', ['2026-04-01', '2026-04-03', '2026-04-05', '2026-04-06', '2026-04-08', '2026-04-09']);
  b = await seedAthlete(tdb.db, 'i5005', ['2026-04-02', '2026-04-04']);
  big = await seedAthlete(tdb.db, 'i6006', ['2026-04-01', '2026-04-02', '2026-04-03'], { intervals: 250 });
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

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const rest = async (url: string, token: string) =>
  (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json() as TrainingsResponse;

describe('MCP over Streamable HTTP at /mcp', () => {
  it('lists get_trainings (read-only) and whoami with tight definitions', async () => {
    const client = await connect(a.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_trainings', 'whoami']);
    const gt = tools.find((t) => t.name === 'get_trainings')!;
    expect(gt.annotations?.readOnlyHint).toBe(true);
    expect(Object.keys(gt.inputSchema.properties ?? {}).sort()).toEqual(['full', 'limit', 'newest', 'offset', 'oldest']);
    expect(tools.find((t) => t.name === 'whoami')!.annotations?.readOnlyHint).toBe(true);
    // Sent into the model's context on every turn; the full set must stay well under 10,000.
    expect(JSON.stringify(tools).length).toBeLessThan(2_500);
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
    expect(viaRest.trainings[0]!.intervals).toHaveLength(4);

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

  it('reports a too-large answer as a tool error that suggests a smaller window', async () => {
    const client = await connect(big.token);
    const res = await client.callTool({ name: 'get_trainings', arguments: { full: true } });
    expect(res.isError).toBe(true);
    const [content] = res.content as { text: string }[];
    expect(JSON.parse(content!.text)).toEqual({ error: { code: 'too_large', message: expect.stringMatching(/limit=\d+/) } });
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
