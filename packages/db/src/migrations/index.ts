import type { Migration } from 'kysely';
import * as m0001 from './0001_init.js';

/** Static list: works the same under tsx, jest and any bundler. Append only; never edit a landed migration. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
};
