/**
 * Checks planned-workout text against Intervals.icu's native workout syntax (reference §3.5,
 * "Workout Builder Syntax Quick Guide") before it is written to the calendar. Intervals.icu does
 * not reject text it cannot parse: the event silently becomes a note without steps. So anything
 * that would not parse, or would parse into something else than meant, is reported here.
 */

export interface WorkoutTextIssue {
  /** 1-based line number in the text. */
  line: number;
  text: string;
  message: string;
}

const PACE_UNIT = String.raw`\/(?:km|mi|100m|100y|500m|400m|250m)`;
const PACE_VALUE = String.raw`\d{1,2}:\d{2}${PACE_UNIT}`;
/** `1h`, `10m`, `30s`, `1h2m30s`, `5'`, `30"`, `1m30`. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!tr))?(?:(\d+)s)?$|^\d+['"]$/;
const DISTANCE = /^\d+(?:\.\d+)?(?:mtr|km|mi)$/;
const REPEAT = /^(?:.*\s)?(\d+)x$/i;
const WORD_UNIT = /^(?:secs?|seconds?|mins?|minutes?|hours?|hrs?|metres?|meters?|kms?|miles?|yards?)$/i;

const HR_TARGET = /(?:\d+(?:-\d+)?%\s*(?:LTHR|HR)\b|\bZ\d(?:-Z\d)?\s+HR\b)/i;
const PACE_TARGET = new RegExp(String.raw`(?:\d+(?:-\d+)?%|\bZ\d(?:-Z\d)?|${PACE_VALUE}(?:-${PACE_VALUE})?)\s+Pace\b`, 'i');
const BARE_PACE = new RegExp(PACE_VALUE, 'i');
/** %FTP or a power zone: what a bare `75%` or `Z2` means. */
const FTP_POWER = /(?:^|\s)(?:\d+(?:-\d+)?%|Z\d(?:-Z\d)?)(?=\s|$)(?!\s+(?:LTHR|HR|Pace|MMP)\b)/i;

const FOOT_SPORTS = new Set(['run', 'virtualrun', 'trailrun', 'walk', 'hike']);
const SWIM_SPORTS = new Set(['swim', 'openwaterswim']);

function isDuration(tok: string): boolean {
  const m = DURATION.exec(tok);
  return m !== null && tok !== '' && (m[1] !== undefined || m[2] !== undefined || m[3] !== undefined || /['"]$/.test(tok));
}

/**
 * Issues with the text; an empty list means it will parse as intended. `sport` is the event type
 * (Run, Ride, Swim, …): runs and swims need HR or pace targets, since a bare `Z2` or `75%` there
 * resolves to power.
 */
export function checkWorkoutText(text: string, sport: string): WorkoutTextIssue[] {
  const issues: WorkoutTextIssue[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const family = sport.toLowerCase();
  const foot = FOOT_SPORTS.has(family);
  const swim = SWIM_SPORTS.has(family);
  let steps = 0;
  /** Inside a repeat block: the header's line number. */
  let repeatAt: number | null = null;
  let repeatSteps = 0;

  const add = (i: number, message: string): void => void issues.push({ line: i + 1, text: lines[i]!.trim(), message });

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const prevBlank = i === 0 || lines[i - 1]!.trim() === '';
    if (line === '') {
      if (repeatAt !== null && repeatSteps === 0) add(repeatAt, 'repeat header has no steps after it');
      repeatAt = null;
      continue;
    }
    if (!line.startsWith('-')) {
      if (repeatAt !== null) {
        add(i, 'leave an empty line after a repeat block (nested repeats are not supported)');
        repeatAt = null;
      }
      if (REPEAT.test(line)) {
        if (!prevBlank) add(i, 'leave an empty line before a repeat header');
        repeatAt = i;
        repeatSteps = 0;
      }
      continue; // any other line without a dash is a section title
    }
    if (repeatAt !== null) repeatSteps++;
    steps++;
    checkStep(line.replace(/^-\s*/, ''), i);
  }
  if (repeatAt !== null && repeatSteps === 0) add(repeatAt, 'repeat header has no steps after it');
  if (steps === 0) issues.unshift({ line: 1, text: lines[0]!.trim(), message: "no steps: every step is a line starting with '- ', e.g. '- 10m Z2 HR'" });
  return issues;

  function checkStep(body: string, i: number): void {
    const toks = body.split(/\s+/).filter(Boolean);
    if (toks.length === 1 && /^\d+x$/i.test(toks[0]!)) {
      return add(i, `'- ${toks[0]}' is a step, not a repeat: write '${toks[0]}' on its own line without the dash`);
    }
    const at = toks.findIndex((t) => isDuration(t) || DISTANCE.test(t));
    if (at < 0) {
      const wordy = toks.findIndex((t, k) => /^\d+(?:\.\d+)?$/.test(t) && WORD_UNIT.test(toks[k + 1] ?? ''));
      if (wordy >= 0) {
        return add(i, `'${toks[wordy]} ${toks[wordy + 1]}' does not parse: write durations as 30s, 10m, 1h and distances as 400mtr, 2km, 1mi`);
      }
      return add(i, 'no duration or distance: use e.g. 10m (minutes), 30s, 1h, 400mtr (metres), 2km, 1mi');
    }
    const cue = toks.slice(0, at);
    if (cue.some((t) => /\d/.test(t))) {
      add(i, `digits in the cue text (${cue.join(' ')}) would be read as the duration: remove them or move them after the target`);
    }
    const dur = toks[at]!;
    const minutes = /^(\d+)m$/.exec(dur);
    if (minutes && (foot || swim) && Number(minutes[1]) >= 100) {
      add(i, `'${dur}' means ${minutes[1]} minutes ('m' is minutes); for metres write ${minutes[1]}mtr`);
    } else if (minutes && Number(minutes[1]) > 360) {
      add(i, `'${dur}' means ${minutes[1]} minutes ('m' is minutes); for metres write ${minutes[1]}mtr`);
    }
    const rest = toks.slice(at + 1).join(' ');
    if (BARE_PACE.test(rest) && !PACE_TARGET.test(rest)) {
      add(i, `a pace needs the word Pace after it, e.g. '${BARE_PACE.exec(rest)![0]} Pace'`);
    }
    if ((foot || swim) && !/\bramp\b/i.test(rest)) {
      const withoutHrPace = rest.replace(HR_TARGET, ' ').replace(PACE_TARGET, ' ');
      if (FTP_POWER.test(` ${withoutHrPace} `)) {
        const kind = swim ? 'swims' : 'runs';
        add(i, `for ${kind} a bare zone or % means power (%FTP): add HR or Pace, e.g. 'Z2 HR', '80% LTHR', 'Z2 Pace', '5:00/km Pace'`);
      }
    }
  }
}

/** All issues of a text as one line each, for an error message. */
export function formatWorkoutTextIssues(issues: readonly WorkoutTextIssue[]): string {
  return issues.map((x) => `line ${x.line} '${x.text}': ${x.message}`).join('; ');
}
