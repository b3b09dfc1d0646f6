import { capturedRun } from '@splits/training/fixtures';

/**
 * An ACTIVITY_UPLOADED delivery like the real capture in reference §1.6 A (~2.4 KB): the training
 * fixture's captured run plus the fields the delivery carries beyond it, split around
 * the activity id so a unique body per request costs one string concatenation.
 */
export function uploadedBodyTemplate(secret: string, intervalsAthleteId: string): { make(activityId: string): string; bytes: number } {
  const MARK = '__ACTIVITY_ID__';
  const body = JSON.stringify({
    secret,
    events: [
      {
        athlete_id: intervalsAthleteId,
        type: 'ACTIVITY_UPLOADED',
        timestamp: '2026-04-16T07:40:42.089+00:00',
        activity: {
          ...capturedRun,
          id: MARK,
          // What the delivery carries beyond the fixture's fields, so the body keeps its real size.
          total_elevation_loss: 19.682693,
          has_heartrate: true,
          device_watts: true,
          compliance: 95.570175,
          paired_event_id: 104649834,
          device_name: 'Garmin fenix 7',
          file_type: 'fit',
          gap_model: 'STRAVA_RUN',
          pace_zones: [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
          gap_zone_times: [2054, 144, 0, 0, 0, 0, 0],
          icu_warmup_time: 300,
          icu_cooldown_time: 300,
          route_id: 6896974,
          average_altitude: 77.163826,
          average_weather_temp: 17.871986,
          average_wind_speed: 1.2219555,
          headwind_percent: 22.60431,
          stream_types: [...(capturedRun.stream_types ?? []), 'hrv', 'respiration', 'torque', 'fixed_altitude'],
          has_weather: true,
          hr_load: 33,
          pace_load: 23,
          hr_load_type: 'HRSS',
          pace_load_type: 'RUN',
          description: 'Easy aerobic run. '.repeat(40),
        },
      },
    ],
  });
  const [head, tail] = body.split(MARK) as [string, string];
  return { make: (activityId) => head + activityId + tail, bytes: Buffer.byteLength(body) };
}
