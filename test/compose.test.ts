import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { initMetrics, metrics } from '@splits/telemetry';

// docker-compose cannot run on these machines (no Docker engine); this checks what can be checked.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; build?: { args?: { SERVICE?: string } }; image?: string; healthcheck?: { test?: unknown; disable?: boolean }; restart?: string }>;
  };

  it('names every service folder, plus Postgres and Redis', () => {
    const folders = readdirSync(new URL('../services', import.meta.url));
    for (const f of folders) expect(Object.keys(compose.services)).toContain(f);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });

  it('points every app service at the compose Postgres and Redis', () => {
    for (const f of readdirSync(new URL('../services', import.meta.url))) {
      const env = compose.services[f]!.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(compose.services[f]!.build?.args?.SERVICE).toBe(f);
    }
  });

  it('gives every long-running service a health check, and pins every image tag', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      // A one-shot (the migrations) exits when done: nothing to check.
      if (svc.restart === 'no') continue;
      expect({ name, test: Array.isArray(svc.healthcheck?.test) }).toEqual({ name, test: true });
      const ports = JSON.stringify(svc.healthcheck!.test);
      if (svc.build?.args?.SERVICE) expect(ports).toContain('/ready');
    }
    for (const [name, svc] of Object.entries(compose.services)) {
      if (!svc.image) continue;
      expect({ name, image: svc.image }).toEqual({ name, image: expect.stringMatching(/^[^:]+:(?!latest$)[\w.-]*\d[\w.-]*$/) });
    }
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['otel-collector', 'prometheus', 'grafana', 'jaeger', 'migrate']));
  });

  it('lets Prometheus scrape every app service', () => {
    const prom = parse(readFileSync(new URL('../infra/prometheus/prometheus.yml', import.meta.url), 'utf8')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)).map((t) => t.split(':')[0]);
    expect(targets.sort()).toEqual(readdirSync(new URL('../services', import.meta.url)).sort());
  });

  it('queries in every Grafana panel only metrics the services export', async () => {
    initMetrics('compose-test');
    const exported = new Set<string>();
    for (const m of await metrics().registry.getMetricsAsJSON()) {
      exported.add(m.name);
      if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(m.name + suffix);
    }
    const dir = new URL('../infra/grafana/dashboards/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    let queries = 0;
    for (const f of files) {
      const dash = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
      for (const panel of dash.panels) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const { expr } of panel.targets) {
          queries++;
          // Metric names: identifiers not followed by `(` (functions) and not label names or keywords.
          const bare = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
          const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
            .filter((m) => !/^\s*\(/.test(bare.slice(m.index! + m[0].length)))
            .map((m) => m[0])
            .filter((n) => /_/.test(n) && !/^(by|without|on|ignoring|le|queue|status|route|service|outcome|type|reason|state)$/.test(n));
          expect({ panel: panel.title, names: names.length > 0 }).toEqual({ panel: panel.title, names: true });
          for (const n of names) expect({ panel: panel.title, metric: n, exported: exported.has(n) }).toEqual({ panel: panel.title, metric: n, exported: true });
        }
      }
    }
    expect(queries).toBeGreaterThan(10);
  });
});
