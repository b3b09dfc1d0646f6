import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { isSecretKey, REDACTED, redactString } from './redact.js';

type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];
type ReadableSpan = Parameters<SpanProcessor['onEnd']>[0];
type Attributes = ReadableSpan['attributes'];

/**
 * Redacts span attributes before any exporter sees them: the HTTP instrumentations record full URLs
 * (`http.url`, `url.full`, `http.target`, `url.path`, `url.query`…), and grammY's requests go to
 * `…/bot<token>/<method>`, the OAuth callback arrives with `?code=`. Registered first, so its onEnd
 * runs before the exporting processors' (which only queue the span, or export it right after).
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    redactAttributes(span.attributes);
    for (const event of span.events) if (event.attributes) redactAttributes(event.attributes);
    for (const link of span.links) if (link.attributes) redactAttributes(link.attributes);
    const name = redactString(span.name);
    // The SDK's span keeps `name` as a plain field; a span named after a URL gets the redacted one.
    if (name !== span.name) (span as { name: string }).name = name;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** In place: the attribute objects of an ended span are its own, read by the exporters later. */
export function redactAttributes(attrs: Attributes): void {
  const a = attrs as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    const v = a[key];
    if (isSecretKey(key)) a[key] = REDACTED;
    else if (typeof v === 'string') {
      const r = redactString(v);
      if (r !== v) a[key] = r;
    } else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) {
      a[key] = v.map((x: unknown) => (typeof x === 'string' ? redactString(x) : x));
    }
  }
}
