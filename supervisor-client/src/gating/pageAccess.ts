import type { MeRights, RightId } from '@earshot/shared';
import { RECORDINGS_PAGE_RIGHTS } from './recordingAccess';

export type PageId = 'desk' | 'board' | 'recordings' | 'profiles' | 'users' | 'teams' | 'audit' | 'alerts';

interface PageRule {
  id: PageId;
  label: string;
  path: string;
  /** Any one of these opens the page; the server checks the same rights on every action behind it. */
  anyOf: readonly RightId[];
  /** A further condition on the user, beyond the rights. */
  when?: (me: MeRights) => boolean;
}

/** The app's pages in menu order, each with the rights its server actions need. */
export const PAGES: readonly PageRule[] = [
  // Someone who takes calls and whose scope is their own phone has no floor to supervise: their work is in
  // the desktop agent, so that is where this app sends them first (the board still shows their own row).
  { id: 'desk', label: 'Desktop agent', path: '/desktop-agent', anyOf: ['calls.handle'], when: (me) => me.scope === 'own' },
  // board:subscribe needs View Live Phone State.
  { id: 'board', label: 'Live board', path: '/board', anyOf: ['phoneState.view'] },
  // GET /api/recordings lists for any of the three recording rights; each row shows the actions its rights open.
  { id: 'recordings', label: 'Recordings', path: '/recordings', anyOf: RECORDINGS_PAGE_RIGHTS },
  // docs/permissions.md: Change System Settings "administer security profiles".
  { id: 'profiles', label: 'Profiles', path: '/profiles', anyOf: ['system.settings'] },
  // Add/Edit Users: "add and edit users, their teams and the profile they hold".
  { id: 'users', label: 'Users', path: '/users', anyOf: ['users.edit'] },
  { id: 'teams', label: 'Teams', path: '/teams', anyOf: ['users.edit'] },
  // Change System Settings: "view the audit log".
  { id: 'audit', label: 'Audit log', path: '/audit', anyOf: ['system.settings'] },
  // alerts:setMine needs View Live Phone State (the board's alerts); alerts:setDefaults, Change System Settings.
  { id: 'alerts', label: 'Alerts', path: '/alerts', anyOf: ['phoneState.view', 'system.settings'] },
];

/** The pages this user may open, in menu order. */
export function pagesFor(me: MeRights): PageId[] {
  return PAGES.filter((p) => p.anyOf.some((r) => me.rights.includes(r)) && (p.when?.(me) ?? true)).map((p) => p.id);
}

export function pageOfPath(path: string): PageId | null {
  return PAGES.find((p) => p.path === path)?.id ?? null;
}

export function pathOf(page: PageId): string {
  return PAGES.find((p) => p.id === page)!.path;
}

/** The page to show for a path: the one asked for if allowed, else the first allowed one, else none. */
export function resolvePage(path: string, me: MeRights): PageId | null {
  const allowed = pagesFor(me);
  const asked = pageOfPath(path);
  if (asked && allowed.includes(asked)) return asked;
  return allowed[0] ?? null;
}
