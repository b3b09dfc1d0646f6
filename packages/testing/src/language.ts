/**
 * Words in Latin script left in a text that should read fully in Russian: what a half-translated
 * message looks like. Proper names and codes that are the same in both languages are allowed;
 * commands (/today), links (t.me/…), numbers and units written with digits are not words.
 */
export const SAME_IN_RUSSIAN: readonly string[] = [
  'Splits',
  'Intervals.icu',
  'Telegram',
  'Custom',
  'GPT',
  'Actions',
  'API',
  'Bearer',
  'CTL',
  // Language codes: "/language ru|en".
  'ru',
  'en',
];

export function englishWordsIn(text: string, allow: readonly string[] = SAME_IN_RUSSIAN): string[] {
  const allowed = new Set(allow.map((w) => w.toLowerCase()));
  const stripped = text
    .replace(/\S*t\.me\/\S*/g, ' ')
    .replace(/Intervals\.icu/g, ' Intervals.icu ')
    .replace(/(^|\s)\/[a-z_]+/g, ' ');
  const words = stripped.match(/[A-Za-z][A-Za-z.]*[A-Za-z]|[A-Za-z]/g) ?? [];
  return words.filter((w) => !allowed.has(w.toLowerCase()) && !allowed.has(w.replace(/\.$/, '').toLowerCase()));
}
