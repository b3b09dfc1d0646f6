import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

/**
 * Whether the JSON text nests objects/arrays deeper than `max`. One pass over the characters, strings
 * skipped: far cheaper than what a deep document costs later (every recursive walk of it, Postgres'
 * json parser included, can run out of stack and turn bad input into a 5xx).
 */
export function jsonNestingExceeds(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The app's JSON body parser: fastify's own (prototype-poisoning checks included), behind a nesting
 * limit. Size is limited by the route's bodyLimit (413) before any of this runs.
 */
export function useJsonBodyParser(app: FastifyInstance, opts: { maxDepth: number }): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonNestingExceeds(body as string, opts.maxDepth)) {
      done(new HttpError(400, 'bad_request', `body nests deeper than ${opts.maxDepth} levels`), undefined);
      return;
    }
    parseJson(req, body as string, done);
  });
}
