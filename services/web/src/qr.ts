import qrcode from 'qrcode-generator';
import { escapeHtml, raw, type Html } from './html.js';

/** Light modules around the code, as the QR standard asks, so a camera finds its edges. */
const QUIET = 4;

/**
 * A QR code of `text` as inline SVG (no image request, nothing for the CSP to allow): one path of
 * dark runs per row on a white square, error correction M (a phone reads it off a screen). `label`
 * is what a screen reader says.
 */
export function qrSvg(text: string, label: string): Html {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      const from = col;
      while (col < n && qr.isDark(row, col)) col++;
      d += `M${from + QUIET} ${row + QUIET}h${col - from}v1h${from - col}z`;
    }
  }
  const size = n + 2 * QUIET;
  return raw(
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges">` +
      `<rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`,
  );
}
