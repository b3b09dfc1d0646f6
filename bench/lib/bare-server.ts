/**
 * The baseline for bench:ingress: a bare fastify POST route that parses the same JSON body and
 * answers {ok:true}, with nothing stored; for bench:gateway, GET routes serving fixed bytes.
 * Prints `{"port":N}` once listening.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
app.post('/webhooks/intervals', async () => ({ ok: true }));
// bench:gateway: GET /bare/<name> serves the bytes of BARE_GET_FILES' <name> file as they are (no serialisation).
if (process.env.BARE_GET_FILES) {
  const { readFileSync } = await import('node:fs');
  const files = JSON.parse(process.env.BARE_GET_FILES) as Record<string, string>;
  for (const [name, path] of Object.entries(files)) {
    const bytes = readFileSync(path);
    app.get(`/bare/${name}`, async (_req, reply) => reply.type('application/json; charset=utf-8').send(bytes));
  }
}
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const addr = app.server.address();
console.log(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 }));
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
