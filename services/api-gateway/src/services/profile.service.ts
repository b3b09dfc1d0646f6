// The profile store is shared with the web pages (issue 18): one implementation, in @splits/queue.
export { editProfile, getProfile, profileHistory, restoreProfile, type ProfileDeps } from '@splits/queue';
