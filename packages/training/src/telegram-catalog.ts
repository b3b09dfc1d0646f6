/**
 * Every text the Telegram bot says, in English and Russian (one catalog; the card's words for
 * sports, session types and intensity are in card-words.ts, the classifier's reasons in
 * reason-text.ts). The language is the athlete's choice: taken from their Telegram language at
 * the first contact (Russian for `ru*`, English otherwise), changed with /language.
 */
import { STAYS_ON_INTERVALS } from '@splits/contracts';

export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];

export function localeOf(languageCode: string | null | undefined): Locale {
  return languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** "4:12/km" (a pace as the record states it) in the athlete's units. */
const paceIn = (pace: string, perKm: string) => pace.replace(/\/km$/, perKm);

export interface PlannedItem {
  name: string | null;
  type: string | null;
  category: string;
  movingTime: number | null;
  distanceKm: number | null;
  description: string | null;
}

const en = {
  // The card
  writeReport: 'Write report',
  openOnIntervals: 'Open on Intervals.icu',
  hr: 'HR',
  avg: 'avg',
  max: 'max',
  load: 'Load',
  intensity: 'intensity',
  km: 'km',
  perKm: '/km',
  per100m: '/100m',
  kmh: 'km/h',
  bpm: 'bpm',
  /** Decimal separator. */
  decimal: '.',
  fitness: 'Fitness',
  fatigue: 'Fatigue',
  form: 'Form',
  fitnessPending: 'Fitness pending (Intervals.icu is still analysing)',
  staleThreshold: (settings: string, own: string) => `Your Intervals.icu threshold pace is ${settings}; your recent efforts say ${own}. Judged against ${own}: consider updating it.`,
  /** The button's data is unknown or out of date (a card from an older version, a chat linked again). */
  buttonStale: 'This button no longer works. Send /last for the latest card.',
  languageSet: 'Language: English. Cards and messages come in English from now on.',
  languageUsage: 'Use /language en or /language ru.',
  mainSet: 'Main set',
  recovery: 'recovery',
  report: 'Your report',
  chartPace: 'Pace and HR per km',
  chartIntervals: 'Work intervals: pace and HR',
  // Commands
  help: [
    'Splits sends a card for every workout you finish on Intervals.icu. Reply to a card (or press "Write report") to save your report: it goes to the workout and into the Intervals.icu description.',
    '',
    '/today – today\'s planned workout',
    '/last – the last workout card',
    '/token – a token for your Custom GPT',
    '/login – a one-time code to sign in to your Splits web pages',
    '/reminders on|off|HH:MM – morning reminder of the day\'s plan (at 07:00 unless you set a time)',
    '/language en|ru – the language of cards and messages',
    '/stop – unlink this chat',
    '/export – everything Splits holds for you, as one file',
    '/delete – delete your Splits account',
    '/llm on|off – allow or refuse sending a session\'s laps to the LLM provider when the rules are unsure',
    '/help – this message',
  ].join('\n'),
  notLinked: 'This chat is not linked to a Splits athlete yet. Open the link from Splits (t.me/…?start=…) to link it.',
  linked: 'Linked. Workout cards will arrive here; reply to one to save your report. /help lists the commands.',
  badCode: 'That link is invalid, already used or expired. Ask Splits for a new one.',
  welcome: 'Hi! Open the link Splits gave you to link this chat. /help lists the commands.',
  unlinked: 'Unlinked. No more messages here; a new link from Splits links the chat again.',
  login: (code: string, url: string | null) =>
    `Your one-time sign-in code (valid 15 minutes, works once):\n\n${code}\n\n${url ? `Open ${url} to sign in with it.` : 'Enter it on the Splits sign-in page.'}`,
  token: (token: string) => `Your gateway token for the Custom GPT (shown once, keep it secret):\n\n${token}\n\nPaste it into the GPT's Actions authentication as an API key (Bearer).`,
  nothingToday: 'Nothing planned for today.',
  todayHeader: (date: string) => `Planned for today (${date}):`,
  reminderHeader: (date: string) => `Good morning! Planned for today (${date}):`,
  noWorkouts: 'No workouts yet.',
  remindersOn: (time: string) => `Morning reminders are on, at ${time} in your Intervals.icu time zone. /reminders 06:30 changes the time.`,
  remindersOff: 'Morning reminders are off. /reminders on turns them back on.',
  remindersUsage: 'Use /reminders on, /reminders off, or a time like /reminders 06:30.',
  askReport: (what: string) => `How did it go? Reply to this message with your report for ${what}.`,
  reportPlaceholder: 'Your report',
  reportSaved: 'Report saved. Writing it to Intervals.icu…',
  reportSavedLater: 'Report saved. It goes to Intervals.icu within a few minutes.',
  reportEmpty: 'The report is empty; write a few words.',
  reportTooLong: (max: number) => `The report is too long (at most ${max} characters).`,
  reportWritten: (what: string) => `Intervals.icu has your report for ${what}.`,
  reportWriteFailed: (what: string) =>
    `Your report for ${what} is saved in Splits, but Intervals.icu did not accept it, so it is not in the activity description there. Send it again later to retry.`,
  unknownReply: 'Reply to a workout card (or press "Write report") to save a report. /help lists the commands.',
  workoutGone: 'That workout is no longer in Splits.',
  failed: 'Something went wrong on our side. Please try again in a minute.',
  // The athlete's data: /delete, /export, /llm, the privacy notice
  privacy: (url: string) => `Privacy — what Splits stores and how to export or delete it: ${url}`,
  deleteConfirm:
    'Delete your Splits account? This deletes everything Splits holds for you: workouts, reports, summaries, profile, tokens, assistant sign-ins and this chat link. ' +
    'It stays on Intervals.icu: the reports Splits wrote into your activity descriptions and the planned workouts your assistant created.',
  deleteButton: 'Delete my account',
  cancelButton: 'Cancel',
  deleteScheduled: (seconds: number) => `Your account will be deleted in ${seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`}. Changed your mind?`,
  keepButton: 'Keep my account',
  deleteCancelled: 'Nothing was deleted. Your account stays.',
  deleteTooLate: 'Too late: the deletion is already under way.',
  exportCaption: 'Everything Splits holds for you, as one JSON document.',
  llmAllowed: 'Session data (laps and figures, no name or ids) may go to the LLM provider when the rules cannot tell a session’s type. /llm off withdraws it.',
  llmRefused: 'Nothing goes to the LLM provider: sessions are classified by the rules only. /llm on allows sending a session’s laps and figures when the rules are unsure.',
  alreadyDeleted: 'Your Splits account is already deleted.',
  erased: (workouts: number, reports: number, records: number, jobs: number) =>
    `Your Splits account is deleted: ${workouts} workouts, ${reports} reports and everything else (${records} records in all), and ${jobs} queued jobs.`,
  accessRevoked: 'Splits’ access to Intervals.icu was disconnected.',
  accessApiKeyStays: 'Your Intervals.icu API key stays valid: regenerate it in Intervals.icu settings if you no longer trust it.',
  accessRevokeFailed: 'Splits could not disconnect itself from Intervals.icu: remove it under Intervals.icu settings → Connected apps.',
  staysOnIntervals: `Still on Intervals.icu: ${STAYS_ON_INTERVALS.en.join('; ')}.`,
};

type Catalog = typeof en;

const ru: Catalog = {
  writeReport: 'Написать отчёт',
  openOnIntervals: 'Открыть в Intervals.icu',
  hr: 'Пульс',
  avg: 'средн.',
  max: 'макс.',
  load: 'Нагрузка',
  intensity: 'интенсивность',
  km: 'км',
  perKm: '/км',
  per100m: '/100 м',
  kmh: 'км/ч',
  bpm: 'уд/мин',
  decimal: ',',
  fitness: 'Форма (CTL)',
  fatigue: 'Усталость',
  form: 'Свежесть',
  fitnessPending: 'Форма будет позже (Intervals.icu ещё анализирует)',
  staleThreshold: (settings: string, own: string) =>
    `Пороговый темп в Intervals.icu — ${paceIn(settings, '/км')}; ваши недавние тренировки говорят ${paceIn(own, '/км')}. Оценено по ${paceIn(own, '/км')}: стоит обновить настройки.`,
  buttonStale: 'Эта кнопка больше не работает. Отправьте /last, чтобы получить последнюю карточку.',
  languageSet: 'Язык: русский. Карточки и сообщения теперь приходят на русском.',
  languageUsage: 'Используйте /language ru или /language en.',
  mainSet: 'Основная часть',
  recovery: 'между повторами',
  report: 'Ваш отчёт',
  chartPace: 'Темп и пульс по километрам',
  chartIntervals: 'Рабочие отрезки: темп и пульс',
  help: [
    'Splits присылает карточку каждой тренировки, завершённой в Intervals.icu. Ответьте на карточку (или нажмите «Написать отчёт»), чтобы сохранить отчёт: он попадёт в тренировку и в описание активности в Intervals.icu.',
    '',
    '/today – план на сегодня',
    '/last – последняя карточка',
    '/token – токен для Custom GPT',
    '/login – одноразовый код для входа на ваши веб-страницы Splits',
    '/reminders вкл|выкл|ЧЧ:ММ – утреннее напоминание о плане (в 07:00, если не задано другое время)',
    '/language ru|en – язык карточек и сообщений',
    '/stop – отвязать этот чат',
    '/export – все ваши данные в Splits одним файлом',
    '/delete – удалить аккаунт Splits',
    '/llm вкл|выкл – разрешить или запретить отправку отрезков тренировки языковой модели, когда правилам не хватает данных',
    '/help – эта справка',
  ].join('\n'),
  notLinked: 'Этот чат ещё не привязан к спортсмену Splits. Откройте ссылку из Splits (t.me/…?start=…), чтобы привязать его.',
  linked: 'Чат привязан. Сюда будут приходить карточки тренировок; ответьте на карточку, чтобы сохранить отчёт. /help — список команд.',
  badCode: 'Ссылка недействительна, уже использована или устарела. Получите новую в Splits.',
  welcome: 'Привет! Откройте ссылку из Splits, чтобы привязать этот чат. /help — список команд.',
  unlinked: 'Чат отвязан. Сообщений больше не будет; новая ссылка из Splits привяжет его снова.',
  login: (code: string, url: string | null) =>
    `Ваш одноразовый код для входа (действует 15 минут, один раз):\n\n${code}\n\n${url ? `Откройте ${url}, чтобы войти с ним.` : 'Введите его на странице входа Splits.'}`,
  token: (token: string) => `Ваш токен для Custom GPT (показывается один раз, храните в секрете):\n\n${token}\n\nВставьте его в настройки аутентификации Actions как API-ключ (Bearer).`,
  nothingToday: 'На сегодня ничего не запланировано.',
  todayHeader: (date: string) => `План на сегодня (${date}):`,
  reminderHeader: (date: string) => `Доброе утро! План на сегодня (${date}):`,
  noWorkouts: 'Тренировок пока нет.',
  remindersOn: (time: string) => `Утренние напоминания включены: в ${time} по часовому поясу из Intervals.icu. /reminders 06:30 меняет время.`,
  remindersOff: 'Утренние напоминания выключены. /reminders вкл включит их снова.',
  remindersUsage: 'Используйте /reminders вкл, /reminders выкл или время, например /reminders 06:30.',
  askReport: (what: string) => `Как прошла тренировка? Ответьте на это сообщение отчётом о тренировке ${what}.`,
  reportPlaceholder: 'Ваш отчёт',
  reportSaved: 'Отчёт сохранён. Записываю его в Intervals.icu…',
  reportSavedLater: 'Отчёт сохранён. В Intervals.icu он попадёт в течение нескольких минут.',
  reportEmpty: 'Отчёт пустой; напишите пару слов.',
  reportTooLong: (max: number) => `Отчёт слишком длинный (не больше ${max} символов).`,
  reportWritten: (what: string) => `Отчёт о тренировке ${what} записан в Intervals.icu.`,
  reportWriteFailed: (what: string) =>
    `Отчёт о тренировке ${what} сохранён в Splits, но Intervals.icu его не принял, поэтому в описании активности его нет. Отправьте его ещё раз позже.`,
  unknownReply: 'Чтобы сохранить отчёт, ответьте на карточку тренировки (или нажмите «Написать отчёт»). /help — список команд.',
  workoutGone: 'Этой тренировки больше нет в Splits.',
  failed: 'У нас что-то пошло не так. Попробуйте через минуту.',
  privacy: (url: string) => `Конфиденциальность — что хранит Splits и как выгрузить или удалить эти данные: ${url}`,
  deleteConfirm:
    'Удалить аккаунт Splits? Будет удалено всё, что Splits хранит о вас: тренировки, отчёты, сводки, профиль, токены, входы ассистентов и привязка этого чата. ' +
    'В Intervals.icu останутся отчёты, которые Splits записал в описания активностей, и запланированные ассистентом тренировки.',
  deleteButton: 'Удалить мой аккаунт',
  cancelButton: 'Отмена',
  deleteScheduled: (seconds: number) => `Аккаунт будет удалён через ${seconds >= 60 ? `${Math.round(seconds / 60)} мин` : `${seconds} с`}. Передумали?`,
  keepButton: 'Оставить аккаунт',
  deleteCancelled: 'Ничего не удалено. Аккаунт остаётся.',
  deleteTooLate: 'Поздно: удаление уже идёт.',
  exportCaption: 'Всё, что Splits хранит о вас, одним файлом.',
  llmAllowed: 'Данные тренировки (отрезки и цифры, без имени и идентификаторов) могут уходить языковой модели, когда правила не могут определить тип тренировки. /llm выкл отзывает согласие.',
  llmRefused: 'Языковой модели ничего не отправляется: тренировки классифицируются только правилами. /llm вкл разрешает отправлять отрезки и цифры, когда правилам не хватает данных.',
  alreadyDeleted: 'Ваш аккаунт Splits уже удалён.',
  erased: (workouts: number, reports: number, records: number, jobs: number) =>
    `Аккаунт Splits удалён: тренировок — ${workouts}, отчётов — ${reports} и всё остальное (всего записей — ${records}), задач в очередях — ${jobs}.`,
  accessRevoked: 'Доступ Splits к Intervals.icu отключён.',
  accessApiKeyStays: 'Ваш API-ключ Intervals.icu остаётся действительным: создайте новый в настройках Intervals.icu, если больше не доверяете этому.',
  accessRevokeFailed: 'Splits не смог отключиться от Intervals.icu: удалите его в настройках Intervals.icu → подключённые приложения.',
  staysOnIntervals: `Остаётся в Intervals.icu: ${STAYS_ON_INTERVALS.ru.join('; ')}.`,
};

const catalogs: Record<Locale, Catalog> = { en, ru };

/**
 * The command menu (setMyCommands) per language: `en` is also the default for every other language.
 * The same commands as /help, in the same order.
 */
export const BOT_COMMANDS: Record<Locale, ReadonlyArray<{ command: string; description: string }>> = {
  en: [
    { command: 'last', description: 'The last workout card' },
    { command: 'today', description: "Today's planned workout" },
    { command: 'reminders', description: 'Morning reminder: on, off or a time' },
    { command: 'token', description: 'A token for your Custom GPT' },
    { command: 'login', description: 'A one-time code for your web pages' },
    { command: 'language', description: 'Language of cards: en or ru' },
    { command: 'stop', description: 'Unlink this chat' },
    { command: 'export', description: 'All your data as one file' },
    { command: 'delete', description: 'Delete your Splits account' },
    { command: 'llm', description: 'LLM help with unclear sessions: on or off' },
    { command: 'help', description: 'What the bot does' },
  ],
  ru: [
    { command: 'last', description: 'Последняя карточка тренировки' },
    { command: 'today', description: 'План на сегодня' },
    { command: 'reminders', description: 'Утреннее напоминание: вкл, выкл или время' },
    { command: 'token', description: 'Токен для Custom GPT' },
    { command: 'login', description: 'Одноразовый код для входа на веб-страницы' },
    { command: 'language', description: 'Язык карточек: ru или en' },
    { command: 'stop', description: 'Отвязать этот чат' },
    { command: 'export', description: 'Все ваши данные одним файлом' },
    { command: 'delete', description: 'Удалить аккаунт Splits' },
    { command: 'llm', description: 'Помощь языковой модели с неясными тренировками: вкл или выкл' },
    { command: 'help', description: 'Что умеет бот' },
  ],
};

export function texts(locale: Locale): Catalog {
  return catalogs[locale];
}
