export * from './db.js';
export * from './util.js';
export * from './services.js';
export * from './redis-server.js';
export * from './fakes/intervals/generator.js';
export * from './fakes/intervals/server.js';
export * from './fakes/telegram.js';
export * from './fakes/llm.js';
