export * from './intervals.js';
export * from './jobs.js';
export * from './workout.js';
export * from './api.js';
export * from './athlete.js';
export * from './gateway.js';
export * from './profile.js';
export * from './dates.js';
