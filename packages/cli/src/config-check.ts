import type { z } from 'zod';
import { GatewayConfigSchema } from '@splits/api-gateway/config';
import { ClassifyWorkerConfigSchema } from '@splits/classify-worker/config';
import { DashboardConfigSchema } from '@splits/dashboard/config';
import { FetchWorkerConfigSchema } from '@splits/fetch-worker/config';
import { SummaryWorkerConfigSchema } from '@splits/summary-worker/config';
import { TelegramWorkerConfigSchema } from '@splits/telegram-worker/config';
import { IngressConfigSchema } from '@splits/webhook-ingress/config';
import { WebConfigSchema } from '@splits/web/config';

/**
 * `pnpm start`'s check before it starts: every service's own config schema (the one its main.ts
 * validates) run against the one environment, every problem of every service gathered into one
 * list grouped by key, and the optional parts (Telegram, LLM, Intervals.icu OAuth app) decided once.
 */
export const SERVICE_CONFIG = {
  'webhook-ingress': IngressConfigSchema,
  'fetch-worker': FetchWorkerConfigSchema,
  'classify-worker': ClassifyWorkerConfigSchema,
  'summary-worker': SummaryWorkerConfigSchema,
  'telegram-worker': TelegramWorkerConfigSchema,
  'api-gateway': GatewayConfigSchema,
  dashboard: DashboardConfigSchema,
  web: WebConfigSchema,
} satisfies Record<string, z.ZodType>;
export type CheckedService = keyof typeof SERVICE_CONFIG;

export interface ConfigProblem {
  key: string;
  /** What is wrong, each with the services that said so (one key wrong for four services is one problem). */
  reasons: Array<{ message: string; services: CheckedService[] }>;
  /** How to put it right (never the value itself: it may be a secret). */
  fix: string;
}

export interface StartPlan {
  /** The services to start, in start order; empty when there are problems. */
  services: CheckedService[];
  problems: ConfigProblem[];
  /** One line per optional part that is off, said once. */
  optional: string[];
}

/** Keys `pnpm splits init` writes; with no .env yet, running it is the fix. */
export const INIT_WRITES = ['TOKEN_ENCRYPTION_KEY', 'INTERVALS_WEBHOOK_SECRET', 'DASHBOARD_USER', 'DASHBOARD_PASSWORD'] as const;

const FIX: Record<string, string> = {
  TOKEN_ENCRYPTION_KEY: '32 random bytes, base64-encoded (`openssl rand -base64 32`); keep it: it opens every stored Intervals.icu credential',
  TOKEN_ENCRYPTION_KEYS_OLD: 'comma-separated 32-byte base64 keys, each optionally `label:` first (README, "Connect an athlete": key rotation)',
  INTERVALS_WEBHOOK_SECRET: 'any random string of 8+ characters; with an Intervals.icu OAuth app, the Webhook Secret of its Manage App page',
  DASHBOARD_USER: 'the operators\' sign-in name for the dashboard, e.g. admin',
  DASHBOARD_PASSWORD: '8+ characters (`openssl rand -base64 18`)',
  TELEGRAM_BOT_TOKEN: 'the token @BotFather gave (`<bot id>:<secret>`), or unset to run without Telegram',
  INTERVALS_CLIENT_ID: 'both from the OAuth app\'s Manage App page on Intervals.icu, or neither (README, "Connect an athlete")',
  INTERVALS_CLIENT_SECRET: 'both from the OAuth app\'s Manage App page on Intervals.icu, or neither (README, "Connect an athlete")',
  LLM_BASE_URL: 'an OpenAI-compatible API address with LLM_MODEL, or neither (rules only)',
  LLM_MODEL: 'the model name with LLM_BASE_URL, or neither (rules only)',
};

/** Empty values count as unset, as in loadConfig (`FOO=` in .env falls back to the default). */
function present(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function checkConfig(rawEnv: Record<string, string | undefined>, opts: { initWouldFix?: boolean } = {}): StartPlan {
  const env = present(rawEnv);
  const optional: string[] = [];
  const wanted = (Object.keys(SERVICE_CONFIG) as CheckedService[]).filter((s) => s !== 'telegram-worker' || env.TELEGRAM_BOT_TOKEN);
  if (!env.TELEGRAM_BOT_TOKEN) {
    optional.push('Telegram: off (no TELEGRAM_BOT_TOKEN), so telegram-worker is not started: no workout messages, reports by chat or reminders.');
  }
  if (!env.LLM_BASE_URL && !env.LLM_MODEL && !env.LLM_API_KEY) {
    optional.push('LLM: off (no LLM_BASE_URL / LLM_MODEL), so workouts are classified by the rules only.');
  }
  if (!env.INTERVALS_CLIENT_ID && !env.INTERVALS_CLIENT_SECRET) {
    optional.push('Intervals.icu OAuth app: off (no INTERVALS_CLIENT_ID / INTERVALS_CLIENT_SECRET), so athletes connect with API keys only (`pnpm splits athlete add … --api-key -`).');
  }

  const byKey = new Map<string, Map<string, CheckedService[]>>();
  for (const service of wanted) {
    const result = SERVICE_CONFIG[service].safeParse(env);
    if (result.success) continue;
    for (const issue of result.error.issues) {
      const key = issue.path.join('.') || '(root)';
      const message = issue.code === 'invalid_type' && !(key in env) ? 'missing' : issue.message;
      const reasons = byKey.get(key) ?? new Map<string, CheckedService[]>();
      byKey.set(key, reasons);
      const services = reasons.get(message) ?? [];
      if (!services.includes(service)) services.push(service);
      reasons.set(message, services);
    }
  }
  const problems = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, reasons]) => {
      const fix = FIX[key] ?? 'see README.md, "Configuration"';
      const byInit = opts.initWouldFix && (INIT_WRITES as readonly string[]).includes(key);
      return {
        key,
        reasons: [...reasons.entries()].map(([message, services]) => ({ message, services })),
        fix: byInit ? `\`pnpm splits init\` writes it; by hand: ${fix}` : fix,
      };
    });
  return { services: problems.length ? [] : wanted, problems, optional };
}

/** The one message `pnpm start` prints when the configuration is not whole. */
export function formatProblems(plan: StartPlan, ctx: { envFile: string; envFileExists: boolean }): string {
  const n = plan.problems.length;
  const width = Math.max(...plan.problems.map((p) => p.key.length));
  const lines = [`Splits did not start: ${n} setting${n === 1 ? '' : 's'} to put right first (nothing was started).`, ''];
  for (const p of plan.problems) {
    const why = p.reasons.map((r) => `${r.message} (${r.services.join(', ')})`).join('; ');
    lines.push(`  ${p.key.padEnd(width)}  ${why}`);
    lines.push(`  ${' '.repeat(width)}  fix: ${p.fix}`);
  }
  lines.push('');
  const init = `pnpm splits init${ctx.envFile === '.env' ? '' : ` --dotenv ${ctx.envFile}`}`;
  lines.push(
    ctx.envFileExists
      ? `Set them in ${ctx.envFile} (the environment wins over it; README.md, "Configuration", lists every key), or let \`${init} --force\` write a fresh one (the old one is kept beside it as .bak).`
      : `There is no ${ctx.envFile} yet: \`${init}\` writes one with every secret generated (README.md, "Running for real").`,
  );
  if (plan.optional.length) lines.push('', 'Optional parts, fine to leave off:', ...plan.optional.map((o) => `  ${o}`));
  return lines.join('\n');
}
