import { z } from 'zod';

/**
 * An athlete's thresholds for one sport, as classification and summaries use them. Taken from the
 * sport settings Intervals.icu sends (SPORT_SETTINGS_UPDATED / GET sport-settings); a threshold the
 * athlete never set is null, never guessed.
 */
export const AthleteThresholdsSchema = z.object({
  sport: z.string(),
  /** Lactate threshold heart rate, bpm. */
  lthr: z.number().nullable(),
  maxHr: z.number().nullable(),
  /** Threshold pace as Intervals.icu stores it: a speed in m/s. */
  thresholdPaceMps: z.number().nullable(),
  ftp: z.number().nullable(),
  /** bpm upper bounds per HR zone. */
  hrZones: z.array(z.number()).nullable(),
  /** % of threshold pace upper bounds per pace zone. */
  paceZones: z.array(z.number()).nullable(),
  /** %FTP upper bounds per power zone. */
  powerZones: z.array(z.number()).nullable(),
});
export type AthleteThresholds = z.infer<typeof AthleteThresholdsSchema>;
