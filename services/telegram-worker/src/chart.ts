import { formatPace, texts, type ChartSeries, type Locale } from '@splits/training';

const W = 960;
const H = 540;
const PAD = { left: 70, right: 70, top: 60, bottom: 60 };

/**
 * The card's chart as a PNG (skia via @napi-rs/canvas, prebuilt binaries, no system libraries):
 * pace as bars (taller = faster) against the left axis, HR as a line against the right one.
 */
export async function renderChartPng(series: ChartSeries, locale: Locale): Promise<Buffer> {
  const t = texts(locale);
  // Loaded on first use: the native module costs nothing at start-up of a worker that never draws.
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(W, H);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#222222';
  g.font = 'bold 24px sans-serif';
  g.fillText(series.kind === 'splits' ? t.chartPace : t.chartIntervals, PAD.left, 38);

  const n = series.labels.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / n;
  const paces = series.pace.filter((p): p is number => p !== null);
  const hrs = series.hr.filter((h): h is number => h !== null);

  // Pace axis: slowest at the bottom, a little head-room above the fastest.
  if (paces.length) {
    const slow = Math.max(...paces) + 0.25;
    const fast = Math.max(0, Math.min(...paces) - 0.25);
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
    g.fillText(`${formatPace(fast)}/km`, 6, PAD.top + 10);
    g.fillText(`${formatPace(slow)}/km`, 6, PAD.top + plotH);
  }
  if (hrs.length) {
    const lo = Math.min(...hrs) - 5;
    const hi = Math.max(...hrs) + 5;
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
    g.fillText(`${Math.round(hi)} bpm`, W - PAD.right + 6, PAD.top + 10);
    g.fillText(`${Math.round(lo)} bpm`, W - PAD.right + 6, PAD.top + plotH);
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
