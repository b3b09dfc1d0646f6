export * from './schema.js';
export * from './connection.js';
export * from './crypto.js';
export * from './repositories/athlete.repository.js';
export * from './repositories/inbox.repository.js';
export * from './repositories/workout.repository.js';
export * from './repositories/notification.repository.js';
export * from './repositories/summary.repository.js';
export { migrations } from './migrations/index.js';
