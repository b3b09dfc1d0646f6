import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { buildApp } from './app.js';
import { openTestQueues } from './test-harness.js';

const q = openTestQueues('gwoapi');

type Op = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string }[];
  'x-openai-isConsequential'?: boolean;
  responses: Record<string, unknown>;
};
type Doc = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Op>>;
  components: { securitySchemes: Record<string, unknown> };
  security: unknown[];
};

let tdb: TestDatabase;
let app: FastifyInstance;
let doc: Doc;
let raw: string;

beforeAll(async () => {
  tdb = await createTestDatabase('gwopenapi');
  app = await buildApp({
    queues: q.queues,
    db: tdb.db,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: 'https://splits.example.com',
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
  });
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  raw = res.body;
  doc = res.json() as Doc;
});

afterAll(async () => {
  await q.close();
  await app?.close();
  await tdb?.drop();
});

const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (checked by a real validator)', async () => {
    const result = await new Validator().validate(JSON.parse(raw));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists exactly the GPT Actions of DESIGN §6, each with an operationId', () => {
    expect(operations().map(({ method, path, op }) => `${method.toUpperCase()} ${path} ${op.operationId}`).sort()).toEqual([
      'DELETE /events deletePlannedWorkouts',
      'GET /events getPlannedEvents',
      'GET /me getMe',
      'GET /profile getProfile',
      'GET /profile/history getProfileHistory',
      'GET /review getReview',
      'GET /summary getAthleteSummary',
      'GET /trainings getTrainings',
      'GET /trainings/{id} getTraining',
      'GET /wellness getWellness',
      'PATCH /profile updateProfile',
      'POST /events upsertPlannedWorkouts',
      'POST /profile/restore restoreProfile',
    ]);
  });

  it('takes servers from PUBLIC_BASE_URL and declares bearer security', () => {
    expect(doc.servers).toEqual([{ url: 'https://splits.example.com' }]);
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('keeps summaries ≤ 300 and parameter descriptions ≤ 700 characters', () => {
    for (const { op } of operations()) {
      expect(op.summary?.length).toBeGreaterThan(0);
      expect(op.summary!.length).toBeLessThanOrEqual(300);
      expect((op.description ?? '').length).toBeLessThanOrEqual(300);
      for (const p of op.parameters ?? []) expect((p.description ?? '').length).toBeLessThanOrEqual(700);
    }
  });

  it('marks the writes (calendar, profile) consequential and documents their errors', () => {
    for (const { method, op } of operations()) {
      const write = method === 'post' || method === 'delete' || method === 'patch';
      expect(op['x-openai-isConsequential'] === true).toBe(write);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401']));
    }
  });

  it('stays small', () => {
    expect(raw.length).toBeLessThan(100_000);
  });
});
