export { ERROR_CODE_BY_STATUS, errorCodeFor, frameworkErrors, useErrorHandler } from './error-handler.js';
export { healthRoutes } from './health.route.js';
export { metricsPlugin } from './metrics.route.js';
export { securityHeadersFor, useSecurityHeaders } from './security-headers.js';
