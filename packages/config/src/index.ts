export { loadConfig, ConfigError, readDotEnv } from './load.js';
export * as env from './fragments.js';
export { freePort } from './ports.js';
