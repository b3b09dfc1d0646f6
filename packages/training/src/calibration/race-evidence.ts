/**
 * What makes a run a race: evidence, never speed alone. A tempo run at 100–103 % of threshold looks
 * like a 10K race on pace; only the athlete (a race flag, a planned race, a race name) or an all-out
 * effort over a standard race distance says it was one.
 */
import { STANDARD_DISTANCES } from '../vdot.js';

/**
 * Words that name a race, in the languages Splits' athletes write in. A name matches when one of
 * these appears as a word (case-insensitive) and none of the training words below does ("Marathon
 * pace long run", "race-pace intervals" are training). Kept short and documented on purpose: a
 * generic word for running (French "course", Spanish "carrera", German "Lauf", Polish "bieg") would
 * call every run a race.
 *
 * en: race, parkrun, marathon, half marathon, time trial, championship(s) · ru: гонка, забег,
 * старт, соревнования, марафон, полумарафон, паркран · de: Wettkampf, Halbmarathon, Volkslauf,
 * Stadtlauf · fr: semi-marathon, compétition · es: maratón, media maratón, competición · it: gara,
 * maratona · nl: wedstrijd · pl: zawody, maraton.
 */
export const RACE_WORDS: readonly string[] = [
  'race',
  'racing',
  'parkrun',
  'marathon',
  'half marathon',
  'halfmarathon',
  'time trial',
  'championship',
  'championships',
  'гонка',
  'забег',
  'старт',
  'соревнования',
  'марафон',
  'полумарафон',
  'паркран',
  'wettkampf',
  'halbmarathon',
  'volkslauf',
  'stadtlauf',
  'semi-marathon',
  'compétition',
  'maratón',
  'maraton',
  'competición',
  'gara',
  'maratona',
  'wedstrijd',
  'zawody',
];

/** Words that make a race word describe training instead ("marathon pace", "race prep"). */
export const TRAINING_WORDS: readonly string[] = [
  'pace',
  'paced',
  'tempo',
  'training',
  'prep',
  'workout',
  'simulation',
  'recce',
  'recon',
  'easy',
  'recovery',
  'long run',
  'shakeout',
  'warm-up',
  'warmup',
  'cooldown',
  'cool-down',
  'темп',
  'темпе',
  'тренировка',
  'разминка',
  'заминка',
];

// Letters of every script count as word characters (\b is ASCII-only in JS).
function wordRe(word: string): RegExp {
  // A space or hyphen inside a phrase matches a space, a hyphen or nothing ("half-marathon", "halfmarathon").
  const body = word
    .split(/[\s-]+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s-]?');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}])`, 'iu');
}
const RACE_RES = RACE_WORDS.map(wordRe);
const TRAINING_RES = TRAINING_WORDS.map(wordRe);

/** The race word a name carries, or null ("Parkrun #312" → "parkrun"; "Marathon pace run" → null). */
export function raceWordIn(name: string | null | undefined): string | null {
  if (!name) return null;
  if (TRAINING_RES.some((re) => re.test(name))) return null;
  const k = RACE_RES.findIndex((re) => re.test(name));
  return k < 0 ? null : (RACE_WORDS[k] as string);
}

export type RaceEvidenceKind = 'flag' | 'planned' | 'name' | 'best_effort';

export interface RaceEvidence {
  kind: RaceEvidenceKind;
  /** One phrase for the reason: "marked as a race", "named \"Parkrun\"", … */
  text: string;
  /** kind name: the name that says so (trimmed, at most 40 characters). */
  name?: string;
}

/** The athlete's own word that a run was a race: the flag, a planned race that day, or the name. */
export function declaredRace(input: { raceFlag?: boolean | null; plannedRace?: boolean | null; name?: string | null }): RaceEvidence | null {
  if (input.raceFlag) return { kind: 'flag', text: 'marked as a race' };
  if (input.plannedRace) return { kind: 'planned', text: 'a race was planned that day' };
  const word = raceWordIn(input.name);
  if (!word) return null;
  const name = (input.name as string).trim().slice(0, 40);
  return { kind: 'name', text: `named "${name}"`, name };
}

export { STANDARD_DISTANCES };

/**
 * The standard distance a measured distance is, when within −1.5 % … +2.5 % of it (GPS measures a
 * course long more often than short; laps add their own rounding); null otherwise.
 */
export function standardDistanceOf(meters: number | null | undefined): { name: string; meters: number } | null {
  if (!meters || !(meters > 0)) return null;
  return STANDARD_DISTANCES.find((d) => meters >= d.meters * 0.985 && meters <= d.meters * 1.025) ?? null;
}
