import type { Migration } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_inbox_pending.js';

/** Static list: works the same under tsx, jest and any bundler. Append only; never edit a landed migration. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_inbox_pending': m0002,
};
