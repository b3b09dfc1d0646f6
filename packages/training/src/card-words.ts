import type { IntensityLabel } from './intensity.js';
import type { Locale } from './telegram-catalog.js';

/**
 * The words of a workout in the athlete's language: sport (Intervals.icu's activity type), session
 * type, intensity. The record keeps Intervals.icu's and Splits' own names (what assistants read);
 * these are only for people.
 */

/** Intervals.icu activity types (its SportInfo list, the ones athletes record). */
export const SPORT_NAMES: Record<string, { en: string; ru: string }> = {
  Run: { en: 'Run', ru: 'Бег' },
  TrailRun: { en: 'Trail run', ru: 'Трейл' },
  VirtualRun: { en: 'Virtual run', ru: 'Виртуальный бег' },
  Treadmill: { en: 'Treadmill', ru: 'Беговая дорожка' },
  TrackRun: { en: 'Track run', ru: 'Бег на стадионе' },
  Ride: { en: 'Ride', ru: 'Велосипед' },
  VirtualRide: { en: 'Virtual ride', ru: 'Велотренажёр' },
  MountainBikeRide: { en: 'Mountain bike ride', ru: 'Маунтинбайк' },
  GravelRide: { en: 'Gravel ride', ru: 'Гревел' },
  EBikeRide: { en: 'E-bike ride', ru: 'Электровелосипед' },
  EMountainBikeRide: { en: 'E-mountain bike ride', ru: 'Электро-маунтинбайк' },
  TrackRide: { en: 'Track ride', ru: 'Велотрек' },
  Velomobile: { en: 'Velomobile', ru: 'Веломобиль' },
  Handcycle: { en: 'Handcycle', ru: 'Хендбайк' },
  Swim: { en: 'Swim', ru: 'Плавание' },
  OpenWaterSwim: { en: 'Open water swim', ru: 'Плавание на открытой воде' },
  Walk: { en: 'Walk', ru: 'Ходьба' },
  Hike: { en: 'Hike', ru: 'Поход' },
  Snowshoe: { en: 'Snowshoe', ru: 'Снегоступы' },
  WeightTraining: { en: 'Weight training', ru: 'Силовая тренировка' },
  Workout: { en: 'Workout', ru: 'Тренировка' },
  Crossfit: { en: 'CrossFit', ru: 'Кроссфит' },
  HighIntensityIntervalTraining: { en: 'HIIT', ru: 'Интервальная тренировка (ВИИТ)' },
  Yoga: { en: 'Yoga', ru: 'Йога' },
  Pilates: { en: 'Pilates', ru: 'Пилатес' },
  Elliptical: { en: 'Elliptical', ru: 'Эллипс' },
  StairStepper: { en: 'Stair stepper', ru: 'Степпер' },
  Rowing: { en: 'Rowing', ru: 'Гребля' },
  VirtualRow: { en: 'Virtual row', ru: 'Гребной тренажёр' },
  Kayaking: { en: 'Kayaking', ru: 'Каякинг' },
  Canoeing: { en: 'Canoeing', ru: 'Каноэ' },
  StandUpPaddling: { en: 'Stand-up paddling', ru: 'Сап' },
  Surfing: { en: 'Surfing', ru: 'Сёрфинг' },
  Kitesurf: { en: 'Kitesurf', ru: 'Кайтсёрфинг' },
  Windsurf: { en: 'Windsurf', ru: 'Виндсёрфинг' },
  Sail: { en: 'Sail', ru: 'Парусный спорт' },
  AlpineSki: { en: 'Alpine ski', ru: 'Горные лыжи' },
  BackcountrySki: { en: 'Backcountry ski', ru: 'Лыжный туризм' },
  NordicSki: { en: 'Nordic ski', ru: 'Беговые лыжи' },
  VirtualSki: { en: 'Virtual ski', ru: 'Лыжный тренажёр' },
  RollerSki: { en: 'Roller ski', ru: 'Лыжероллеры' },
  Snowboard: { en: 'Snowboard', ru: 'Сноуборд' },
  IceSkate: { en: 'Ice skate', ru: 'Коньки' },
  InlineSkate: { en: 'Inline skate', ru: 'Ролики' },
  Skateboard: { en: 'Skateboard', ru: 'Скейтборд' },
  RockClimbing: { en: 'Rock climbing', ru: 'Скалолазание' },
  Golf: { en: 'Golf', ru: 'Гольф' },
  Soccer: { en: 'Football', ru: 'Футбол' },
  Tennis: { en: 'Tennis', ru: 'Теннис' },
  TableTennis: { en: 'Table tennis', ru: 'Настольный теннис' },
  Badminton: { en: 'Badminton', ru: 'Бадминтон' },
  Squash: { en: 'Squash', ru: 'Сквош' },
  Padel: { en: 'Padel', ru: 'Падел' },
  Pickleball: { en: 'Pickleball', ru: 'Пиклбол' },
  Racquetball: { en: 'Racquetball', ru: 'Ракетбол' },
  Wheelchair: { en: 'Wheelchair', ru: 'Коляска' },
  Other: { en: 'Other', ru: 'Другое' },
};

/** Splits' session types (RUN_SESSION_TYPES). */
export const SESSION_TYPE_NAMES: Record<string, { en: string; ru: string }> = {
  Easy: { en: 'Easy', ru: 'Лёгкая' },
  Recovery: { en: 'Recovery', ru: 'Восстановительная' },
  Long: { en: 'Long', ru: 'Длительная' },
  Threshold: { en: 'Threshold', ru: 'Пороговая' },
  Interval: { en: 'Interval', ru: 'Интервальная' },
  Repetition: { en: 'Repetition', ru: 'Повторы' },
  Race: { en: 'Race', ru: 'Соревнование' },
  Unclassified: { en: 'Unclassified', ru: 'Без типа' },
};

const INTENSITY: Record<IntensityLabel, { en: string; ru: string }> = {
  easy: { en: 'easy', ru: 'лёгкая' },
  moderate: { en: 'moderate', ru: 'умеренная' },
  hard: { en: 'hard', ru: 'высокая' },
  'very hard': { en: 'very hard', ru: 'очень высокая' },
};

/** "VirtualRide" → "Virtual ride": an activity type Intervals.icu added after this list, readable at least. */
const spaced = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ ([A-Z])(?=[a-z])/g, (_, c: string) => ` ${c.toLowerCase()}`);

export function sportName(type: string, locale: Locale): string {
  return SPORT_NAMES[type]?.[locale] ?? (locale === 'ru' ? 'Тренировка' : spaced(type));
}

export function sessionTypeName(sessionType: string, locale: Locale): string {
  return SESSION_TYPE_NAMES[sessionType]?.[locale] ?? sportName(sessionType, locale);
}

export function intensityWord(label: IntensityLabel, locale: Locale): string {
  return INTENSITY[label][locale];
}

/** A planned event without a name: its Intervals.icu category (WORKOUT, NOTE, RACE_A, …) in words. */
export function eventCategoryName(category: string, locale: Locale): string {
  const ru = locale === 'ru';
  if (category === 'WORKOUT') return ru ? 'Тренировка' : 'Workout';
  if (category === 'NOTE') return ru ? 'Заметка' : 'Note';
  if (category.startsWith('RACE')) return ru ? 'Соревнование' : 'Race';
  return ru ? 'Событие' : 'Event';
}
