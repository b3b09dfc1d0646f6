import { openDatabase } from '@splits/db';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { GatewayConfigSchema } from './config.js';
import { openConnect } from './services/connect.service.js';

// bootProcess: validate env (every bad key listed, exit 1), logger, Shutdown (tracing closes last), signals.
const { config, log, shutdown } = bootProcess('api-gateway', GatewayConfigSchema);
// Creates the database if missing, migrates, and registers the pool's close.
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'api-gateway', shutdown });

const connect = openConnect(config, db, log, shutdown);
const app = await buildApp({ db, log, publicBaseUrl: config.PUBLIC_BASE_URL, connect });
// Registered after the pool, so it closes first: stop intake and finish in-flight requests, then the pool.
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.GATEWAY_PORT });
const addr = app.server.address();
log.info({ port: typeof addr === 'object' && addr ? addr.port : config.GATEWAY_PORT, host: config.HOST }, 'listening');
