export * from './db.js';
export * from './util.js';
export * from './services.js';
export * from './redis-server.js';
