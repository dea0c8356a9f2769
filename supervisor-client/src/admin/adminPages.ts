// The admin pages, one chunk that the shell loads the first time one of them is opened.
export { AuditPage } from './AuditPage';
export { ProfilesPage } from './ProfilesPage';
export { TeamsPage } from './TeamsPage';
export { UsersPage } from './UsersPage';
