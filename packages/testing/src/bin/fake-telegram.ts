/** Fake Telegram Bot API as its own process. Prints the API root (TELEGRAM_API_ROOT) on stdout. PORT, TELEGRAM_BOT_TOKEN. */
import { startFakeTelegram } from '../fakes/telegram.js';

const fake = await startFakeTelegram({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1', token: process.env.TELEGRAM_BOT_TOKEN });
process.stdout.write(`${fake.url}\n`);
process.stderr.write(`${JSON.stringify({ fake: 'telegram', url: fake.url, bot: fake.bot.username })}\n`);

const stop = () => void fake.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
