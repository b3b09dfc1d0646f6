export * from './db.js';
export * from './util.js';
