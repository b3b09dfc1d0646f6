export { SERVICE_NAMES, startServices, type RunningServices, type ServiceName, type StartServicesOptions } from './supervisor.js';
