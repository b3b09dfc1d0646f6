export { SERVICE_NAMES, startServices, type RestartPolicy, type RunningServices, type ServiceName, type StartServicesOptions, type SupervisorEvent } from './supervisor.js';
