import { z } from 'zod';

/**
 * The privacy notice (issue 15): what Splits stores, why, where it goes, how long, and how to export
 * and delete it. Its version is recorded with the athlete's consent when they connect; a change of
 * substance gets a new version. Served by the gateway at /privacy and linked from the connect pages
 * and Telegram's /help.
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-06';

export const PRIVACY_NOTICE: ReadonlyArray<{ heading: string; paragraphs: readonly string[] }> = [
  {
    heading: 'What Splits stores',
    paragraphs: [
      'Your Intervals.icu athlete id and the credential you connected with (encrypted), your completed workouts as Intervals.icu reports them (the activity, its laps, streams and the day’s wellness), the workout records, classifications and summaries Splits builds from them, your planned workouts, your training profile (goals, rules, strategy) with its history, the reports you write in Telegram with their revisions, your Telegram chat id and language, the hashes of your access tokens and the OAuth grants you gave assistants, and what you agreed to here and when.',
    ],
  },
  {
    heading: 'Why',
    paragraphs: ['To give the AI assistants you connect (ChatGPT, Claude) prepared training context, to announce new workouts in Telegram and to write your reports back to Intervals.icu. Nothing else: no advertising, no sale, no profiling beyond your training.'],
  },
  {
    heading: 'Where it goes',
    paragraphs: [
      'Intervals.icu: Splits reads your data there and writes your reports into activity descriptions and the planned workouts your assistant creates.',
      'Telegram: workout cards and reminders to the chat you linked.',
      'The LLM provider this deployment is configured with: a session’s laps and figures (no name, no ids) when the rules cannot tell its type — only if you allowed it (off until you do; change it with /llm in Telegram or PATCH /me/consent).',
      'The assistants you connect read what your token allows.',
    ],
  },
  {
    heading: 'How long',
    paragraphs: ['As long as your account exists. Webhook deliveries are kept for a few days for troubleshooting. When you delete your account everything above is deleted at once; backups of the operator’s database age out on their own schedule.'],
  },
  {
    heading: 'Export and delete',
    paragraphs: [
      'Export: /export in Telegram sends everything Splits holds about you as one JSON file; GET /me/export with your token returns the same.',
      'Delete: /delete in Telegram (with a confirmation and a short delay to change your mind), DELETE /me with your token, or ask the operator (pnpm splits athlete remove). Deleting removes every row that belongs to you, your queued jobs, the Telegram link, tokens and OAuth grants, and revokes Splits’ Intervals.icu access where Intervals.icu allows it. What Splits wrote into Intervals.icu stays there (reports in activity descriptions, planned workouts): delete those on Intervals.icu.',
    ],
  },
];

export const ConsentAnswerSchema = z.object({
  privacyNotice: z.object({ version: z.string(), at: z.string() }).nullable().describe('the privacy notice version accepted, and when'),
  currentNoticeVersion: z.string(),
  llm: z.object({ granted: z.boolean(), at: z.string().nullable() }).describe('session data may go to the LLM provider (off until given)'),
  history: z.array(z.object({ kind: z.enum(['privacy_notice', 'llm']), granted: z.boolean(), noticeVersion: z.string(), source: z.string(), at: z.string() })),
});
export type ConsentAnswer = z.infer<typeof ConsentAnswerSchema>;

export const ConsentPatchSchema = z
  .object({ llm: z.boolean().optional(), acceptPrivacyNotice: z.literal(true).optional() })
  .strict()
  .refine((b) => b.llm !== undefined || b.acceptPrivacyNotice !== undefined, { message: 'give llm (true/false) or acceptPrivacyNotice: true' });

/**
 * What Splits cannot delete because it lives on Intervals.icu: said after every deletion (the API's
 * answer, Telegram, the web pages, the CLI), in each language the athlete may read it in.
 */
export const STAYS_ON_INTERVALS: Readonly<Record<'en' | 'ru', readonly string[]>> = {
  en: [
    'the reports Splits wrote into your activity descriptions',
    'the planned workouts your assistant wrote to your calendar',
    'your activities, wellness and settings (Intervals.icu’s own data)',
  ],
  ru: [
    'отчёты, которые Splits записал в описания активностей',
    'тренировки, которые ассистент записал в календарь',
    'ваши активности, самочувствие и настройки (собственные данные Intervals.icu)',
  ],
};

export const ErasureResultSchema = z.object({
  athleteId: z.string(),
  deleted: z.record(z.string(), z.number().int()).describe('rows deleted per table'),
  jobsRemoved: z.number().int(),
  intervalsAccess: z.enum(['revoked', 'api_key_stays_valid', 'revoke_failed', 'none']),
  staysOnIntervals: z.array(z.string()),
});
