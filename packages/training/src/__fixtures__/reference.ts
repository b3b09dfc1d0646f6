import type { IntervalsActivity, IntervalsEvent, IntervalsIntervalsDto, IntervalsWellness } from '@splits/contracts';

// Captured payloads copied verbatim (JSON) from shared/reference/intervals-api.md, section by section.
// Do not tidy them: the golden tests compute their expectations from these exact values.

/** §1.6 A: ACTIVITY_UPLOADED, Garmin run (no icu_ctl/icu_atl yet). */
export const runUpload: IntervalsActivity = {
  "id": "i140263995",
  "start_date_local": "2026-04-16T09:02:09",
  "start_date": "2026-04-16T07:02:09Z",
  "type": "Run",
  "name": "AI: Z2 Base Run — Aerobic Build (generated)",
  "distance": 4497.53,
  "moving_time": 2179,
  "elapsed_time": 2286,
  "total_elevation_gain": 22.115707,
  "total_elevation_loss": 19.682693,
  "has_heartrate": true,
  "average_heartrate": 128,
  "max_heartrate": 150,
  "average_cadence": 72.86063,
  "calories": 331,
  "device_watts": true,
  "icu_training_load": 23,
  "trimp": 41.34806,
  "compliance": 95.570175,
  "paired_event_id": 104649834,
  "device_name": "Garmin fenix 7",
  "source": "GARMIN_CONNECT",
  "file_type": "fit",
  "pace": 2.0640337,
  "gap": 2.080476,
  "gap_model": "STRAVA_RUN",
  "threshold_pace": 3.3898,
  "pace_zones": [
    77.5,
    87.7,
    94.3,
    100.0,
    103.4,
    111.5,
    999.0
  ],
  "pace_zone_times": [
    2176,
    22,
    0,
    0,
    0,
    0,
    0
  ],
  "gap_zone_times": [
    2054,
    144,
    0,
    0,
    0,
    0,
    0
  ],
  "icu_hr_zones": [
    129,
    136,
    144,
    152,
    157,
    161,
    179
  ],
  "icu_hr_zone_times": [
    812,
    407,
    791,
    172,
    0,
    0,
    0
  ],
  "lthr": 153,
  "icu_resting_hr": 57,
  "icu_weight": 77.769,
  "icu_warmup_time": 300,
  "icu_cooldown_time": 300,
  "icu_rpe": 2,
  "feel": 2,
  "icu_intensity": 61.390354,
  "route_id": 6896974,
  "average_altitude": 77.163826,
  "average_weather_temp": 17.871986,
  "average_wind_speed": 1.2219555,
  "headwind_percent": 22.60431,
  "stream_types": [
    "time",
    "watts",
    "cadence",
    "heartrate",
    "distance",
    "altitude",
    "latlng",
    "velocity_smooth",
    "hrv",
    "respiration",
    "torque",
    "fixed_altitude"
  ],
  "has_weather": true,
  "hr_load": 33,
  "pace_load": 23,
  "hr_load_type": "HRSS",
  "pace_load_type": "RUN",
  "interval_summary": [
    "3x 6m54s 134bpm",
    "1x 8m8s 140bpm"
  ],
  "average_speed": 2.057,
  "max_speed": 2.93,
  "average_stride": 0.8498556,
  "athlete_max_hr": 179
};

/** §1.6 B: WELLNESS_UPDATED record of 2026-04-15. */
export const wellnessUpdated: IntervalsWellness = {
  "id": "2026-04-15",
  "ctl": 18.411747,
  "atl": 37.385643,
  "rampRate": 4.692177,
  "ctlLoad": 14.0,
  "atlLoad": 14.0,
  "sportInfo": [
    {
      "type": "Ride",
      "eftp": 207.82047,
      "wPrime": 17460.543,
      "pMax": 642.51904
    }
  ],
  "updated": "2026-04-15T16:29:54.818+00:00",
  "weight": 77.36,
  "restingHR": 59,
  "hrv": 46.0,
  "sleepSecs": 22242,
  "sleepScore": 76.0,
  "sleepQuality": 3,
  "bodyFat": 24.6,
  "steps": 11208,
  "tempWeight": false,
  "tempRestingHR": false
};

/** §1.6 C: ACTIVITY_ACHIEVEMENTS, only the fields that differ from UPLOADED. */
export const rideAchievements: IntervalsActivity = {
  "id": "i140254351",
  "start_date_local": "2026-04-16T07:28:47",
  "type": "VirtualRide",
  "icu_training_load": 41,
  "icu_ftp": 208,
  "icu_weighted_avg_watts": 139,
  "icu_average_watts": 131,
  "icu_rolling_w_prime": 17460.543,
  "icu_rolling_p_max": 642.51904,
  "icu_rolling_ftp": 208,
  "icu_rolling_ftp_delta": 0,
  "icu_atl": 38.26616,
  "icu_ctl": 18.94321,
  "carbs_used": 113,
  "icu_achievements": [
    {
      "id": "ps0_5",
      "type": "BEST_POWER",
      "watts": 500,
      "secs": 5,
      "point": {
        "start_index": 392,
        "end_index": 397,
        "secs": 5,
        "value": 500
      }
    }
  ]
};

/** §1.6 D: a CALENDAR_UPDATED planned event (the one the §1.6 A run is paired with). */
export const calendarEvent: IntervalsEvent = {
  "id": 104649834,
  "start_date_local": "2026-04-17T00:00:00",
  "category": "WORKOUT",
  "type": "Run",
  "name": "Z2 Base Run",
  "external_id": "plan-123",
  "oauth_client_id": 315
};

/** §2.4: GET /activity of a real VirtualRide with power. */
export const virtualRide: IntervalsActivity = {
  "id": "i140254351",
  "start_date_local": "2026-04-16T07:28:47",
  "start_date": "2026-04-16T05:28:47Z",
  "type": "VirtualRide",
  "name": "CYCLING:Tempo w/ 1min Cadence-5",
  "distance": 28451.42,
  "moving_time": 3307,
  "elapsed_time": 3307,
  "trainer": true,
  "commute": false,
  "race": false,
  "has_heartrate": true,
  "average_heartrate": 132,
  "max_heartrate": 145,
  "average_cadence": 93.21714,
  "calories": 517,
  "device_watts": true,
  "icu_average_watts": 131,
  "icu_weighted_avg_watts": 139,
  "icu_ftp": 208,
  "icu_training_load": 41,
  "icu_intensity": 66.82692,
  "icu_efficiency_factor": 1.0530303,
  "icu_power_hr": 0.99242425,
  "icu_variability_index": 1.0610687,
  "decoupling": 4.5139484,
  "trimp": 70.59505,
  "compliance": 100.21212,
  "paired_event_id": 103471545,
  "device_name": "Garmin Edge 840",
  "source": "GARMIN_CONNECT",
  "external_id": "22543294456",
  "file_type": "fit",
  "icu_athlete_id": "i317960",
  "created": "2026-04-16T06:37:39.861+00:00",
  "analyzed": "2026-04-16T06:37:40.111+00:00",
  "icu_hr_zones": [
    131,
    145,
    151,
    162,
    167,
    172,
    179
  ],
  "lthr": 163,
  "icu_resting_hr": 57,
  "icu_weight": 77.769,
  "icu_power_zones": [
    55,
    75,
    90,
    105,
    120,
    150,
    999
  ],
  "icu_zone_times": [
    {
      "id": "Z1",
      "secs": 1619
    },
    {
      "id": "Z2",
      "secs": 556
    },
    {
      "id": "Z3",
      "secs": 1027
    },
    {
      "id": "Z4",
      "secs": 92
    },
    {
      "id": "Z5",
      "secs": 4
    },
    {
      "id": "Z6",
      "secs": 1
    },
    {
      "id": "Z7",
      "secs": 8
    },
    {
      "id": "SS",
      "secs": 211
    }
  ],
  "icu_hr_zone_times": [
    1054,
    2253,
    0,
    0,
    0,
    0,
    0
  ],
  "stream_types": [
    "time",
    "watts",
    "cadence",
    "heartrate",
    "distance",
    "velocity_smooth",
    "temp",
    "hrv",
    "respiration",
    "torque"
  ],
  "power_load": 41,
  "hr_load": 41,
  "hr_load_type": "HRSS",
  "strain_score": 53.58951,
  "session_rpe": 165,
  "icu_rpe": 3,
  "feel": 3,
  "average_speed": 8.609,
  "max_speed": 11.309,
  "average_temp": 28.984276,
  "icu_lap_count": 57,
  "polarization_index": -0.12,
  "icu_ctl": 18.94321,
  "icu_atl": 38.26616
};

/** §3.1: GET /activity/{id}/intervals of that ride. */
export const rideIntervals: IntervalsIntervalsDto = {
  "id": "i140254351",
  "analyzed": "2026-04-16T06:37:40.111+00:00",
  "icu_intervals": [
    {
      "id": 1,
      "type": "RECOVERY",
      "label": null,
      "start_index": 0,
      "end_index": 600,
      "start_time": 0,
      "end_time": 600,
      "moving_time": 600,
      "elapsed_time": 600,
      "distance": 4300.0,
      "average_watts": 120,
      "weighted_average_watts": 124,
      "intensity": 58,
      "zone": 2,
      "average_heartrate": 118,
      "max_heartrate": 131,
      "average_cadence": 88.0,
      "average_speed": 7.17,
      "training_load": 5.6,
      "joules": 72000,
      "group_id": null
    },
    {
      "id": 2,
      "type": "WORK",
      "label": null,
      "start_index": 600,
      "end_index": 1080,
      "start_time": 600,
      "end_time": 1080,
      "moving_time": 480,
      "elapsed_time": 480,
      "distance": 4420.0,
      "average_watts": 201,
      "weighted_average_watts": 203,
      "intensity": 97,
      "zone": 4,
      "zone_min_watts": 188,
      "zone_max_watts": 218,
      "average_heartrate": 158,
      "max_heartrate": 166,
      "average_cadence": 92.0,
      "average_speed": 9.21,
      "decoupling": 2.1,
      "training_load": 12.6,
      "joules": 96480,
      "joules_above_ftp": 0,
      "wbal_start": 17460,
      "wbal_end": 16900,
      "group_id": "g480s201w"
    }
  ],
  "icu_groups": [
    {
      "id": "g480s201w",
      "count": 4,
      "start_index": 600,
      "moving_time": 1920,
      "elapsed_time": 1920,
      "distance": 17600.0,
      "average_watts": 200,
      "weighted_average_watts": 202,
      "intensity": 96,
      "average_heartrate": 159,
      "average_speed": 9.17
    }
  ]
};

/** §3.4: a wellness row (GET /athlete/{id}/wellness), nulls trimmed by the reference. */
export const wellnessRow: IntervalsWellness = {
  "id": "2025-05-24",
  "ctl": 70.87253,
  "atl": 91.97159,
  "rampRate": 6.997368,
  "ctlLoad": 299,
  "atlLoad": 299,
  "sportInfo": [
    {
      "type": "Ride",
      "eftp": 282.85992
    },
    {
      "type": "Run",
      "eftp": null
    }
  ],
  "updated": "2025-05-25T08:10:00.827+00:00",
  "weight": 78,
  "restingHR": 50,
  "hrv": null,
  "hrvSDNN": null,
  "sleepSecs": null,
  "sleepScore": null,
  "sleepQuality": null,
  "readiness": null,
  "soreness": null,
  "fatigue": null,
  "stress": null,
  "mood": null,
  "motivation": null,
  "steps": 2303,
  "locked": null
};

/** §0.5 / §2.3 Hidden: the API's stub for a Strava-sourced activity. */
export const stravaStub: IntervalsActivity = {
  "id": "12345678901",
  "icu_athlete_id": "i317960",
  "start_date_local": "2026-04-16T09:02:09",
  "source": "STRAVA",
  "_note": "STRAVA activities are not available via the API"
};

/** §1.5: ACTIVITY_DELETED stub (no start_date_local). */
export const deletedStub: IntervalsActivity = {
  "id": "i140242265",
  "commute": false,
  "race": false,
  "file_sport_index": 0,
  "icu_athlete_id": "i317960",
  "icu_sweet_spot_min": 0,
  "icu_sweet_spot_max": 0,
  "has_weather": false,
  "has_segments": false,
  "icu_lap_count": 0,
  "source": "GARMIN_CONNECT"
};
