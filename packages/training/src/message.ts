import type { WorkoutRecord } from '@splits/contracts';
import { formatDuration, formatPace, sportFamily } from './units.js';

const fmt1 = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** The Telegram announcement of a workout: plain text, one fact per line, only lines with values. */
export function formatWorkoutMessage(record: WorkoutRecord): string {
  const family = sportFamily(record.workoutType);
  const lines: string[] = [];
  lines.push(record.activityName ?? record.workoutType);
  lines.push(record.sessionType && record.sessionType !== record.workoutType ? `${record.workoutType} · ${record.sessionType}` : record.workoutType);

  const basics: string[] = [];
  if (record.distance !== null) basics.push(`${record.distance} km`);
  if (record.movingTime !== null) basics.push(formatDuration(record.movingTime));
  if (record.pace !== null && family === 'swim') basics.push(`${formatPace(record.pace)}/100m`);
  else if (record.pace !== null) basics.push(`${formatPace(record.pace)}/km`);
  else if (record.speed !== null) basics.push(`${fmt1(record.speed)} km/h`);
  if (basics.length) lines.push(basics.join(' · '));

  if (record.avgHr !== null || record.maxHr !== null) {
    lines.push(`HR ${[record.avgHr !== null ? `${record.avgHr} avg` : null, record.maxHr !== null ? `${record.maxHr} max` : null].filter(Boolean).join(' / ')}`);
  }
  const effort = [record.load !== null ? `Load ${record.load}` : null, record.intensity ? `intensity ${record.intensity}` : null].filter(Boolean);
  if (effort.length) lines.push(effort.join(' · '));

  if (record.provisional) lines.push('Fitness pending');
  else if (record.fitness !== null && record.fatigue !== null) {
    const form = record.form ?? record.fitness - record.fatigue;
    lines.push(`Fitness ${fmt1(record.fitness)} · Fatigue ${fmt1(record.fatigue)} · Form ${form > 0 ? '+' : ''}${fmt1(form)}`);
  }
  if (record.intervalSummary) {
    const s = record.intervalSummary;
    lines.push(s.recovery ? `Work: ${s.work}, recovery ${s.recovery}` : `Work: ${s.work}`);
  }
  lines.push(record.intervalsUrl);
  return lines.join('\n');
}
