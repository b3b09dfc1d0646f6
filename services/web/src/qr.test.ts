import { describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { qrSvg } from './qr.js';

// A CommonJS module whose types say `export default`: under Node's ESM the function is the module itself.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** Draws the SVG as a camera would see it: its path's runs filled black on white, 4 px a module. */
function rasterize(svg: string): { data: Uint8ClampedArray; size: number } {
  const modules = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const scale = 4;
  const size = modules * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const path = /<path d="([^"]*)"/.exec(svg)![1]!;
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) data.fill(0, (py * size + px) * 4, (py * size + px) * 4 + 3);
    }
  }
  return { data, size };
}

describe('qrSvg', () => {
  it.each(['https://t.me/SplitsBot?start=tg_AbC-123_xyz', 'https://t.me/' + 'x'.repeat(32) + '?start=' + 'k'.repeat(60)])('draws a code a reader decodes back to %s', (link) => {
    const svg = qrSvg(link, 'QR').value;
    const { data, size } = rasterize(svg);
    expect(jsQR(data, size, size)?.data).toBe(link);
  });

  it('is inline, labelled for screen readers, and escapes the label', () => {
    const svg = qrSvg('https://t.me/x', 'Code "of" <the> link').value;
    expect(svg).toMatch(/^<svg class="qr" [^>]*role="img" aria-label="Code &quot;of&quot; &lt;the&gt; link"/);
    expect(svg).not.toContain('<image');
  });
});
