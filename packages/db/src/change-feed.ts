import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The channel migration 0009's triggers notify on. */
export const CHANGE_CHANNEL = 'splits_change';

/** The kinds of change the triggers send (migrations 0009 and 0025). */
export const CHANGE_KINDS = ['summary', 'token', 'athlete'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * What changed: a stored summary (keyed by athlete id), a token row (keyed by its hash), something
 * an athlete's workout pages are built from (keyed by athlete id: a workout, the time zone, a sport's
 * settings), or `reset`: the feed lost or regained its connection, so notifications may have been
 * missed and everything cached from before must go.
 */
export type Change = { kind: ChangeKind; key: string } | { kind: 'reset' };

interface FeedLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ChangeFeedOptions {
  applicationName?: string;
  log?: FeedLog;
  /** A query on the listening connection this often proves it alive (a half-open socket says nothing). */
  heartbeatMs?: number;
  /** First reconnect delay; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** Parses one notification payload; anything else on the channel is ignored. */
export function parseChange(payload: string | undefined): Change | null {
  const i = payload?.indexOf(':') ?? -1;
  if (!payload || i <= 0) return null;
  const kind = payload.slice(0, i);
  const key = payload.slice(i + 1);
  return (CHANGE_KINDS as readonly string[]).includes(kind) && key ? { kind: kind as ChangeKind, key } : null;
}

/**
 * One dedicated Postgres connection that LISTENs for row changes, so a process can keep answers in
 * memory and drop them the moment the rows under them change, in any process.
 *
 * A cache may trust its entries only while `live`: notifications are delivered only to a connected
 * listener, so on every loss and every (re)connect the feed emits `reset` and bumps `generation`.
 * `generation` also moves on every change: a reader notes it before its database read and caches the
 * result only if it has not moved since, so a change that lands between the read and the store
 * cannot leave a stale entry behind.
 */
export class ChangeFeed {
  /** True while the LISTEN connection is up and proven; caches may trust their entries only then. */
  live = false;
  generation = 0;
  private client: pg.Client | null = null;
  private readonly subscribers = new Set<(c: Change) => void>();
  private closed = false;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Probe notifications this feed sent and waits to hear back, by nonce. */
  private readonly probes = new Map<string, () => void>();

  constructor(
    private readonly url: string,
    private readonly opts: ChangeFeedOptions = {},
  ) {
    this.retryMs = opts.retryMs ?? 250;
  }

  subscribe(fn: (c: Change) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /**
   * Connects and listens. Never throws: with Postgres unreachable the feed stays not live (caches
   * are bypassed, every read goes to the database) and keeps retrying in the background.
   */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.drop(client, null);
    await client?.end().catch(() => undefined);
  }

  private emit(change: Change): void {
    this.generation++;
    for (const fn of this.subscribers) fn(change);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: this.opts.applicationName ?? 'splits-change-feed', keepAlive: true, connectionTimeoutMillis: 5_000 });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGE_CHANNEL) return;
      if (msg.payload?.startsWith('probe:')) return this.probes.get(msg.payload)?.();
      if (this.client !== client) return;
      const change = parseChange(msg.payload);
      if (change) this.emit(change);
    });
    client.on('error', (err) => this.drop(client, err));
    client.on('end', () => this.drop(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${CHANGE_CHANNEL}`);
      // LISTEN "succeeds" through a transaction-mode pooler too, yet hears nothing: prove it does.
      await this.probe(client);
    } catch (err) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.opts.log?.warn({ err: (err as Error).message }, 'change feed could not listen (or heard nothing back: a transaction-mode pooler?); caches bypassed until it can');
      this.scheduleRetry();
      return;
    }
    if (this.closed) return void (await client.end().catch(() => undefined));
    this.client = client;
    this.retryMs = this.opts.retryMs ?? 250;
    // Whatever was cached before this connection may have missed changes.
    this.emit({ kind: 'reset' });
    this.live = true;
    // A notification sent to itself, heard back in time, proves the connection and the LISTEN alive.
    this.heartbeat = setInterval(() => {
      this.probe(client).catch((err: Error) => {
        this.drop(client, err);
        client.end().catch(() => undefined);
      });
    }, this.opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    this.opts.log?.info({}, 'change feed listening');
  }

  /** Sends a probe notification on `client` and waits to hear it back on the same LISTEN. */
  private async probe(client: pg.Client, timeoutMs = 5_000): Promise<void> {
    const payload = `probe:${randomBytes(8).toString('hex')}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve, reject) => {
      this.probes.set(payload, resolve);
      timer = setTimeout(() => reject(new Error(`no notification heard back within ${timeoutMs} ms`)), timeoutMs);
    });
    heard.catch(() => undefined); // awaited below; never an unhandled rejection if the query fails first
    try {
      await client.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
      await heard;
    } finally {
      clearTimeout(timer);
      this.probes.delete(payload);
    }
  }

  /** Forgets a lost connection (once), tells the caches, and reconnects unless closed. */
  private drop(client: pg.Client | null, err: Error | null): void {
    if (!client || this.client !== client) return;
    this.client = null;
    this.live = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.emit({ kind: 'reset' });
    if (err && !this.closed) {
      this.opts.log?.warn({ err: err.message }, 'change feed lost its connection; caches bypassed until it is back');
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.maxRetryMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

/** How many recent changes a cache remembers by key to judge racing reads (older marks are refused). */
const CHANGES_KEPT = 10_000;

/**
 * A bounded in-memory cache whose entries a ChangeFeed invalidates by key. Without a feed (or with
 * one that is not live) entries are not `trusted`: a caller must re-check them against the database
 * or ignore them. Oldest-used entries go first when full.
 *
 * With `groupOf`, several entries answer to one change key (an athlete's pages, each keyed by its
 * query): a change of the group drops all of them, and a read that raced it stores none.
 */
export class InvalidatedCache<V> {
  private readonly map = new Map<string, { value: V; at: number }>();
  /** The feed generation of each group's latest change, for the most recent changes (bounded). */
  private readonly changed = new Map<string, number>();
  /** The keys cached under each group (only kept with groupOf). */
  private readonly members = new Map<string, Set<string>>();
  /** A read marked before this cannot be judged (a reset, or a change record since forgotten): not stored. */
  private floor = 0;
  private readonly groupOf: (key: string) => string;

  constructor(
    private readonly feed: ChangeFeed | null | undefined,
    private readonly kind: ChangeKind,
    private readonly opts: {
      max: number;
      maxAgeMs?: number;
      /** The change key an entry's key answers to; default the key itself. */
      groupOf?: (key: string) => string;
      /** Called on every change of this kind (not a reset), with the entry it dropped if there was one (ungrouped caches). */
      onChanged?: (key: string, dropped: V | undefined) => void;
    },
  ) {
    this.groupOf = opts.groupOf ?? ((key) => key);
    feed?.subscribe((c) => {
      if (c.kind === 'reset') {
        this.map.clear();
        this.members.clear();
        this.changed.clear();
        this.floor = feed.generation;
        return;
      }
      if (c.kind !== kind) return;
      this.changed.delete(c.key);
      this.changed.set(c.key, feed.generation);
      if (this.changed.size > CHANGES_KEPT) {
        const [oldest, generation] = this.changed.entries().next().value as [string, number];
        this.changed.delete(oldest);
        this.floor = Math.max(this.floor, generation);
      }
      if (opts.groupOf) {
        for (const key of this.members.get(c.key) ?? []) this.map.delete(key);
        this.members.delete(c.key);
        opts.onChanged?.(c.key, undefined);
        return;
      }
      const dropped = this.map.get(c.key);
      this.map.delete(c.key);
      opts.onChanged?.(c.key, dropped?.value);
    });
  }

  /** Entries may be used without asking the database. */
  get trusted(): boolean {
    return this.feed?.live === true;
  }

  /** Note this before the database read whose result you will `set`. */
  mark(): number {
    return this.feed?.generation ?? 0;
  }

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.opts.maxAgeMs !== undefined && Date.now() - e.at > this.opts.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /**
   * Stores a value read from the database after `mark`; skipped if a change of this key arrived
   * since (or since a reset), so a read that raced a change never leaves a stale entry. Changes of
   * other keys do not matter.
   */
  set(key: string, value: V, mark: number): void {
    const group = this.groupOf(key);
    if (this.feed && (mark < this.floor || (this.changed.get(group) ?? -1) > mark)) return;
    this.map.delete(key);
    this.map.set(key, { value, at: Date.now() });
    if (this.opts.groupOf) {
      let keys = this.members.get(group);
      if (!keys) this.members.set(group, (keys = new Set()));
      keys.add(key);
    }
    if (this.map.size > this.opts.max) this.delete(this.map.keys().next().value as string);
  }

  private delete(key: string): void {
    this.map.delete(key);
    if (!this.opts.groupOf) return;
    const group = this.groupOf(key);
    const keys = this.members.get(group);
    keys?.delete(key);
    if (keys?.size === 0) this.members.delete(group);
  }

  get size(): number {
    return this.map.size;
  }
}
