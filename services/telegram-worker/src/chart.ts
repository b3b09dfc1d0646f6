import { formatPace, texts, type ChartSeries, type Locale } from '@splits/training';

const W = 960;
const H = 540;
const PAD = { left: 70, right: 70, top: 60, bottom: 60 };

/** The pace axis (min/km, slowest at the bottom, head-room above the fastest) and the HR axis (bpm), null where the series has none. */
function scales(series: ChartSeries) {
  const paces = series.pace.filter((p): p is number => p !== null);
  const hrs = series.hr.filter((h): h is number => h !== null);
  return {
    pace: paces.length ? { slow: Math.max(...paces) + 0.25, fast: Math.max(0, Math.min(...paces) - 0.25) } : null,
    hr: hrs.length ? { lo: Math.min(...hrs) - 5, hi: Math.max(...hrs) + 5 } : null,
  };
}

/** Every word and unit the chart draws, in the athlete's language (the rest are numbers). */
export function chartTexts(series: ChartSeries, locale: Locale): { title: string; paceAxis: [string, string] | null; hrAxis: [string, string] | null } {
  const t = texts(locale);
  const { pace, hr } = scales(series);
  return {
    title: series.kind === 'splits' ? t.chartPace : t.chartIntervals,
    paceAxis: pace ? [`${formatPace(pace.fast)}${t.perKm}`, `${formatPace(pace.slow)}${t.perKm}`] : null,
    hrAxis: hr ? [`${Math.round(hr.hi)} ${t.bpm}`, `${Math.round(hr.lo)} ${t.bpm}`] : null,
  };
}

/**
 * The card's chart as a PNG (skia via @napi-rs/canvas, prebuilt binaries, no system libraries):
 * pace as bars (taller = faster) against the left axis, HR as a line against the right one.
 */
export async function renderChartPng(series: ChartSeries, locale: Locale): Promise<Buffer> {
  const words = chartTexts(series, locale);
  const scale = scales(series);
  // Loaded on first use: the native module costs nothing at start-up of a worker that never draws.
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(W, H);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#222222';
  g.font = 'bold 24px sans-serif';
  g.fillText(words.title, PAD.left, 38);

  const n = series.labels.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / n;

  if (scale.pace && words.paceAxis) {
    const { slow, fast } = scale.pace;
    const y = (p: number) => PAD.top + plotH - ((slow - p) / (slow - fast)) * plotH;
    g.font = '14px sans-serif';
    series.pace.forEach((p, i) => {
      if (p === null) return;
      const x = PAD.left + i * slot + slot * 0.15;
      g.fillStyle = '#4a90d9';
      g.fillRect(x, y(p), slot * 0.7, PAD.top + plotH - y(p));
      if (n <= 30) {
        g.fillStyle = '#1f3f66';
        g.fillText(formatPace(p), x, y(p) - 6);
      }
    });
    g.fillStyle = '#1f3f66';
    g.fillText(words.paceAxis[0], 6, PAD.top + 10);
    g.fillText(words.paceAxis[1], 6, PAD.top + plotH);
  }
  if (scale.hr && words.hrAxis) {
    const { lo, hi } = scale.hr;
    const y = (h: number) => PAD.top + plotH - ((h - lo) / (hi - lo)) * plotH;
    g.strokeStyle = '#d0021b';
    g.fillStyle = '#d0021b';
    g.lineWidth = 3;
    g.beginPath();
    let started = false;
    series.hr.forEach((h, i) => {
      if (h === null) return;
      const x = PAD.left + i * slot + slot / 2;
      if (started) g.lineTo(x, y(h));
      else g.moveTo(x, y(h));
      started = true;
    });
    g.stroke();
    g.font = '14px sans-serif';
    series.hr.forEach((h, i) => {
      if (h === null) return;
      const x = PAD.left + i * slot + slot / 2;
      g.beginPath();
      g.arc(x, y(h), 4, 0, Math.PI * 2);
      g.fill();
    });
    g.fillText(words.hrAxis[0], W - PAD.right + 6, PAD.top + 10);
    g.fillText(words.hrAxis[1], W - PAD.right + 6, PAD.top + plotH);
  }
  // x labels: km or interval number
  g.fillStyle = '#444444';
  g.font = '14px sans-serif';
  const every = Math.ceil(n / 25);
  series.labels.forEach((l, i) => {
    if (i % every === 0) g.fillText(l, PAD.left + i * slot + slot / 2 - 4, H - PAD.bottom + 22);
  });
  g.strokeStyle = '#999999';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(PAD.left, PAD.top + plotH);
  g.lineTo(W - PAD.right, PAD.top + plotH);
  g.stroke();
  return canvas.encode('png');
}
