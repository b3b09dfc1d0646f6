/** Fake OpenAI-compatible LLM as its own process. Prints the base URL (LLM_BASE_URL, ends in /v1) on stdout. PORT. */
import { startFakeLlm } from '../fakes/llm.js';

const fake = await startFakeLlm({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`${fake.url}\n`);

const stop = () => void fake.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
