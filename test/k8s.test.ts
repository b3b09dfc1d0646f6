import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { queueNames } from '@splits/queue';
import { TEST_ENCRYPTION_KEY } from '@splits/testing';
import { GatewayConfigSchema } from '../services/api-gateway/src/config.js';
import { ClassifyWorkerConfigSchema } from '../services/classify-worker/src/config.js';
import { DashboardConfigSchema } from '../services/dashboard/src/config.js';
import { FetchWorkerConfigSchema } from '../services/fetch-worker/src/config.js';
import { FETCH_WORKER_QUEUES } from '../services/fetch-worker/src/handlers.js';
import { SummaryWorkerConfigSchema } from '../services/summary-worker/src/config.js';
import { TelegramWorkerConfigSchema } from '../services/telegram-worker/src/config.js';
import { IngressConfigSchema } from '../services/webhook-ingress/src/config.js';
import { WebConfigSchema } from '../services/web/src/config.js';

/**
 * infra/k8s cannot be applied here (no cluster, no kustomize binary): this validates every manifest
 * against the Kubernetes and KEDA schemas (kubernetes-models), checks that every service and every
 * queue has its objects, and that every env key a service's config schema requires is provided,
 * secrets from the Secret only.
 */
const K8S = fileURLToPath(new URL('../infra/k8s/', import.meta.url));
const SERVICES_DIR = fileURLToPath(new URL('../services/', import.meta.url));

type Doc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

function docsOf(file: string): Doc[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJSON() as Doc;
  });
}
const kustomization = (dir: string) => parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; images?: { name: string; newTag?: string }[]; configMapGenerator?: { name: string; behavior?: string; literals?: string[] }[]; secretGenerator?: { name: string; envs: string[] }[] };

const baseDir = join(K8S, 'base');
const overlayDir = join(K8S, 'overlays/example');
const base = kustomization(baseDir).resources.flatMap((r) => docsOf(join(baseDir, r)));
const overlay = kustomization(overlayDir);
const overlayDocs = overlay.resources.filter((r) => !r.startsWith('..')).flatMap((r) => docsOf(join(overlayDir, r)));

const MODELS: Record<string, new (d: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/Namespace': Namespace,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

const SCHEMAS: Record<string, z.ZodObject> = {
  'api-gateway': GatewayConfigSchema,
  'classify-worker': ClassifyWorkerConfigSchema,
  dashboard: DashboardConfigSchema,
  'fetch-worker': FetchWorkerConfigSchema,
  'summary-worker': SummaryWorkerConfigSchema,
  'telegram-worker': TelegramWorkerConfigSchema,
  'webhook-ingress': IngressConfigSchema,
  web: WebConfigSchema,
};
/** Which process consumes which queue (each worker's main.ts); a new queue must be placed here and in infra/k8s. */
const QUEUE_OWNERS: Record<string, readonly string[]> = {
  'fetch-worker': FETCH_WORKER_QUEUES,
  'classify-worker': ['classify', 'recalibrate'],
  'summary-worker': ['build-summary'],
  'telegram-worker': ['notify-telegram', 'reminder-tick', 'send-reminder', 'erase-athlete'],
  'webhook-ingress': ['prune-retention'],
};
const PORT_KEYS: Record<string, string> = { 'api-gateway': 'GATEWAY_PORT', 'webhook-ingress': 'INGRESS_PORT', dashboard: 'DASHBOARD_PORT', web: 'WEB_PORT' };
/** Valid stand-ins for the secrets (the Secret itself is generated from secrets.env by the overlay). */
const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgres://splits:pw@postgres:5432/splits',
  REDIS_URL: 'redis://:pw@redis:6379',
  INTERVALS_WEBHOOK_SECRET: 'webhook-secret-123',
  TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  TELEGRAM_BOT_TOKEN: '123456:abcDEF',
  DASHBOARD_USER: 'ops',
  DASHBOARD_PASSWORD: 'ops-password-1',
};
const looksSecret = (key: string) => /SECRET|TOKEN|PASSWORD|API_KEY|ENCRYPTION_KEY|DATABASE_URL$|REDIS_URL$/.test(key);

const services = readdirSync(SERVICES_DIR);
const all = [...base, ...overlayDocs];
const find = (kind: string, name: string) => base.find((d) => d.kind === kind && d.metadata.name === name);
const configMap = () => {
  const data = { ...find('ConfigMap', 'splits-config')!.data };
  for (const g of overlay.configMapGenerator ?? []) {
    if (g.name !== 'splits-config' || g.behavior !== 'merge') continue;
    for (const l of g.literals ?? []) data[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  }
  return data;
};
const secretKeys = () => {
  const [gen] = overlay.secretGenerator ?? [];
  expect(gen?.name).toBe('splits-secrets');
  const example = readFileSync(join(overlayDir, `${gen!.envs[0]}.example`), 'utf8');
  return new Set(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.slice(0, l.indexOf('='))));
};

describe('infra/k8s', () => {
  it('lists every file of the base in its kustomization, and every overlay resource exists', () => {
    const listed = kustomization(baseDir).resources.sort();
    expect(readdirSync(baseDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort()).toEqual(listed);
    for (const r of overlay.resources) expect(existsSync(join(overlayDir, r))).toBe(true);
    expect(overlay.images?.find((i) => i.name === 'splits')?.newTag).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('validates every manifest against the Kubernetes and KEDA schemas', () => {
    expect(all.length).toBeGreaterThan(20);
    for (const doc of all) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect({ doc: `${doc.kind}/${doc.metadata.name}`, known: Model !== undefined }).toEqual({ doc: `${doc.kind}/${doc.metadata.name}`, known: true });
      expect(() => new Model!(doc).validate()).not.toThrow();
    }
    // The validator is not a no-op: a Deployment without a selector fails.
    const broken = structuredClone(find('Deployment', 'api-gateway')!);
    delete broken.spec.selector;
    expect(() => new Deployment(broken as never).validate()).toThrow();
    const so = structuredClone(base.find((d) => d.kind === 'ScaledObject')!);
    so.spec.triggers[0].type = 42;
    expect(() => new ScaledObject(so as never).validate()).toThrow();
  });

  it('gives every service a Deployment with probes, resources and a non-root pod, a Service and a PodDisruptionBudget', () => {
    for (const name of services) {
      const dep = find('Deployment', name);
      expect({ name, dep: dep !== undefined, svc: find('Service', name) !== undefined, pdb: find('PodDisruptionBudget', name) !== undefined }).toEqual({ name, dep: true, svc: true, pdb: true });
      const pod = dep!.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const [c] = pod.containers;
      const env = Object.fromEntries((c.env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
      expect(env.SERVICE).toBe(name);
      const port = PORT_KEYS[name] ? SCHEMAS[name]!.shape[PORT_KEYS[name]!]!.parse(undefined) : Number(env.HEALTH_PORT);
      expect(c.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      for (const r of ['requests', 'limits']) expect(Object.keys(c.resources[r]).sort()).toEqual(['cpu', 'memory']);
      expect(dep!.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port));
    }
  });

  it('scales every worker on its BullMQ waiting lists and the HTTP services on CPU, one trigger per queue', () => {
    const prefix = configMap().QUEUE_PREFIX!;
    // Hash-tagged, so a queue's keys share one Redis Cluster slot; and a prefix the services accept.
    expect(prefix).toMatch(/^\{[^}]+\}$/);
    expect(IngressConfigSchema.shape.QUEUE_PREFIX.safeParse(prefix).success).toBe(true);
    const scaled = base.filter((d) => d.kind === 'ScaledObject');
    for (const so of scaled) expect(find('Deployment', so.spec.scaleTargetRef.name)).toBeDefined();
    const seen: string[] = [];
    for (const [owner, queues] of Object.entries(QUEUE_OWNERS)) {
      const so = scaled.find((s) => s.spec.scaleTargetRef.name === owner)!;
      expect(so).toBeDefined();
      const lists = so.spec.triggers.filter((t: { type: string }) => t.type === 'redis').map((t: { metadata: { listName: string } }) => t.metadata.listName);
      expect(lists.sort()).toEqual(queues.map((q) => `${prefix}:${q}:wait`).sort());
      // Delayed and scheduled jobs wait in other keys: a worker never scales to zero.
      expect(so.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      seen.push(...queues);
    }
    expect(seen.sort()).toEqual([...queueNames].sort());
    for (const http of ['api-gateway', 'webhook-ingress']) {
      const so = scaled.find((s) => s.spec.scaleTargetRef.name === http)!;
      expect(so.spec.triggers.map((t: { type: string }) => t.type)).toContain('cpu');
    }
    expect(base.find((d) => d.kind === 'TriggerAuthentication')?.metadata.name).toBe('splits-redis');
  });

  it('provides every env key the config schemas require, secrets from the Secret only and only to the services that read them', () => {
    const cm = configMap();
    const secrets = secretKeys();
    for (const key of Object.keys(cm)) expect({ key, secret: looksSecret(key) }).toEqual({ key, secret: false });
    for (const name of services) {
      const schema = SCHEMAS[name]!;
      const c = find('Deployment', name)!.spec.template.spec.containers[0];
      const env: Record<string, string> = { ...cm };
      for (const e of c.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } } }[]) {
        if (e.value !== undefined) {
          expect({ key: e.name, secret: looksSecret(e.name) }).toEqual({ key: e.name, secret: false });
          env[e.name] = e.value;
          continue;
        }
        const ref = e.valueFrom!.secretKeyRef;
        expect([ref.name, secrets.has(ref.key)]).toEqual(['splits-secrets', true]);
        // Least privilege: a service is given only the secrets its own schema reads.
        expect({ name, key: ref.key, read: ref.key in schema.shape }).toEqual({ name, key: ref.key, read: true });
        if (!ref.optional) env[e.name] = SECRET_STAND_INS[ref.key]!;
      }
      for (const [key, field] of Object.entries(schema.shape)) {
        if (!(field as z.ZodType).safeParse(undefined).success) expect({ name, key, provided: key in env }).toEqual({ name, key, provided: true });
        if (looksSecret(key) && key in env) expect({ name, key, fromSecret: !(key in cm) }).toEqual({ name, key, fromSecret: true });
      }
      // Every value given parses under the service's own schema (ports, URLs, the queue prefix…).
      const parsed = schema.safeParse(env);
      expect({ name, issues: parsed.success ? [] : parsed.error.issues.map((i: z.core.$ZodIssue) => `${i.path.join('.')}: ${i.message}`) }).toEqual({ name, issues: [] });
      expect((parsed.data as { HOST: string }).HOST).toBe('0.0.0.0');
    }
  });

  it('runs the migrations as a Job with only the database URL', () => {
    const job = find('Job', 'splits-migrate')!;
    const [c] = job.spec.template.spec.containers;
    expect(c.env).toEqual([
      { name: 'SERVICE', value: 'migrate' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'splits-secrets', key: 'DATABASE_URL' } } },
    ]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('migrate');
  });
});
