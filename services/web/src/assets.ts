import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

/** One static file, read once at start and served under a name carrying its hash (cached for a year). */
interface Asset {
  url: string;
  type: string;
  body: Buffer;
}

export interface AssetUrls {
  css: string;
  js: string;
  chart: string;
  chartCss: string;
}

function asset(name: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/assets/${name}.${hash}.${ext}`, type, body };
}

/** The pages' stylesheet and script, and uPlot (charts drawn in the browser from JSON). */
export function loadAssets(): { urls: AssetUrls; all: Asset[] } {
  const require = createRequire(import.meta.url);
  const here = (f: string) => readFileSync(new URL(`./assets/${f}`, import.meta.url));
  const uplotDir = require.resolve('uplot/dist/uPlot.iife.min.js').replace(/uPlot\.iife\.min\.js$/, '');
  const css = asset('app', 'css', 'text/css; charset=utf-8', here('app.css'));
  const js = asset('app', 'js', 'text/javascript; charset=utf-8', here('app.js'));
  const chart = asset('uplot', 'js', 'text/javascript; charset=utf-8', readFileSync(`${uplotDir}uPlot.iife.min.js`));
  const chartCss = asset('uplot', 'css', 'text/css; charset=utf-8', readFileSync(`${uplotDir}uPlot.min.css`));
  return { urls: { css: css.url, js: js.url, chart: chart.url, chartCss: chartCss.url }, all: [css, js, chart, chartCss] };
}

export function assetRoutes(app: FastifyInstance, assets: Asset[]): void {
  for (const a of assets) {
    app.get(a.url, { schema: { hide: true } }, async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=31536000, immutable').type(a.type).send(a.body),
    );
  }
}
