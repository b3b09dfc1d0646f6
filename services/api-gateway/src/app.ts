import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Db } from '@splits/db';
import { useErrorHandler } from './plugins/error-handler.js';
import { useBearerAuth } from './plugins/auth.js';
import { healthRoutes } from './routes/health.route.js';
import { meRoutes } from './routes/me.route.js';
import { trainingsRoutes } from './routes/trainings.route.js';
import { mcpMethodNotAllowed, mcpRoutes } from './mcp/mcp.route.js';
import { connectRoutes } from './routes/connect.js';
import type { ConnectDeps } from './services/connect.service.js';

export interface AppDeps {
  db: Db;
  log: Logger;
  /** The address assistants reach the gateway at; the OpenAPI document's server URL. */
  publicBaseUrl: string;
  /** Intervals.icu OAuth connect; null/absent = no OAuth app (the routes answer 501). */
  connect?: ConnectDeps | null;
}

/** The gateway as a fastify instance; never listens and never reads the environment (main.ts does both). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Splits',
        version: '1.0.0',
        description: "Prepared training data from the athlete's Intervals.icu workouts.",
      },
      servers: [{ url: deps.publicBaseUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { db: deps.db });
  await app.register(mcpMethodNotAllowed);
  await app.register(connectRoutes, { connect: deps.connect ?? null });
  // Everything below needs a valid bearer token and sees only its own athlete's data.
  await app.register(async (scope) => {
    useBearerAuth(scope, deps.db);
    await scope.register(meRoutes, { db: deps.db });
    await scope.register(trainingsRoutes, { db: deps.db });
    await scope.register(mcpRoutes, { db: deps.db, log: deps.log });
  });
  return app;
}
