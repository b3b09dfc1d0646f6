import { InlineKeyboard, InputFile, type Api } from 'grammy';
import type { WorkoutRecord } from '@splits/contracts';
import { getWorkoutRow, type Db } from '@splits/db';
import { chartSeriesOf, formatWorkoutCard, texts, type Locale } from '@splits/training';
import { renderChartPng } from './chart.js';

/** A card ready to send: everything that can fail before Telegram is asked is done here. */
export interface PreparedCard {
  workoutId: string;
  record: WorkoutRecord;
  text: string;
  keyboard: InlineKeyboard;
  png: Buffer | null;
}

const CAPTION_MAX = 1024;

export async function prepareCard(db: Db, workoutId: string, locale: Locale): Promise<PreparedCard | null> {
  const row = await getWorkoutRow(db, workoutId);
  if (!row) return null;
  const record = { ...(row.record as object), id: row.id } as WorkoutRecord;
  const t = texts(locale);
  // The reason is the one the classifier stored (never worked out again here), in the athlete's language.
  const text = formatWorkoutCard(record, { locale });
  const keyboard = new InlineKeyboard().text(t.writeReport, `report:${row.id}`).row().url(t.openOnIntervals, record.intervalsUrl);
  const series = chartSeriesOf(record);
  const png = series && text.length <= CAPTION_MAX ? await renderChartPng(series, locale) : null;
  return { workoutId: row.id, record, text, keyboard, png };
}

/** One message: the chart with the card as its caption, or the card as text when there is no chart. */
export async function sendCard(api: Pick<Api, 'sendMessage' | 'sendPhoto'>, chatId: string, card: PreparedCard): Promise<{ message_id: number }> {
  if (card.png) {
    return api.sendPhoto(chatId, new InputFile(card.png, `splits-${card.workoutId}.png`), { caption: card.text, reply_markup: card.keyboard });
  }
  return api.sendMessage(chatId, card.text, { reply_markup: card.keyboard, link_preview_options: { is_disabled: true } });
}
