import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { AlertCount } from '../alerts/AlertCount';
import { AlertsPage } from '../alerts/AlertsPage';
import { BoardPage } from '../board/BoardPage';
import { PAGES, pagesFor, pathOf, resolvePage, type PageId } from '../gating/pageAccess';
import { HelpAlerts } from '../help/HelpAlerts';
import { OnTheWay } from '../help/OnTheWay';
import { useLiveApp } from '../live/liveAppContext';
import type { LinkStatus } from '../live/liveSession';
import { useStore } from '../live/store';
import { SessionDock } from '../supervision/SessionDock';
import { RecordingsPage } from '../recordings/RecordingsPage';
import { DesktopAgentPage } from './DesktopAgentPage';
import { usePath } from './usePath';

// The admin pages are a chunk of their own, loaded when one is first opened: the board (what most users
// open, and all that many may) does not wait for them.
const adminPages = () => import('../admin/adminPages');
const ProfilesPage = lazy(() => adminPages().then((m) => ({ default: m.ProfilesPage })));
const UsersPage = lazy(() => adminPages().then((m) => ({ default: m.UsersPage })));
const TeamsPage = lazy(() => adminPages().then((m) => ({ default: m.TeamsPage })));
const AuditPage = lazy(() => adminPages().then((m) => ({ default: m.AuditPage })));

const PAGE_VIEW: Record<PageId, ComponentType> = {
  desk: DesktopAgentPage,
  board: BoardPage,
  recordings: RecordingsPage,
  profiles: ProfilesPage,
  users: UsersPage,
  teams: TeamsPage,
  audit: AuditPage,
  alerts: AlertsPage,
};

const LINK_TEXT: Record<LinkStatus, string> = { connecting: 'Connecting…', online: 'Live', reconnecting: 'Reconnecting…' };

/**
 * The signed-in frame: the pages this user's rights open (re-evaluated on every `me:rights`, so a page
 * disappears the moment its right does), help alerts, and the supervision dock, which stays across pages.
 */
export function Shell({ onLogOut }: { onLogOut: () => void }) {
  const app = useLiveApp();
  const rights = useStore(app.rights);
  const link = useStore(app.link);
  const [path, navigate] = usePath();
  const page = resolvePage(path, rights);
  const allowed = pagesFor(rights);

  useEffect(() => {
    if (page && pathOf(page) !== window.location.pathname) window.history.replaceState(null, '', pathOf(page));
  }, [page]);
  useEffect(() => {
    const label = PAGES.find((p) => p.id === page)?.label;
    document.title = label ? `${label} · Earshot` : 'Earshot';
  }, [page]);

  const View = page ? PAGE_VIEW[page] : null;
  return (
    <div className="shell">
      <a className="skip-link" href="#page">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark" />
          Earshot
        </div>
        <nav aria-label="Pages" className="topnav">
          <ul>
            {PAGES.filter((p) => allowed.includes(p.id)).map((p) => (
              <li key={p.id}>
                <a
                  href={p.path}
                  aria-current={p.id === page ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(p.path);
                  }}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-user">
          <AlertCount onOpenBoard={() => navigate(pathOf('board'))} />
          <span className={`link-status link-${link}`} role="status">
            {LINK_TEXT[link]}
          </span>
          <span className="user-name">{app.me.displayName}</span>
          <span className="user-profile" title={`Scope: ${rights.scope}`}>
            {rights.profileName}
          </span>
          <button type="button" onClick={onLogOut}>
            Log out
          </button>
        </div>
      </header>
      <HelpAlerts />
      <OnTheWay />
      <main id="page" className="page" tabIndex={-1}>
        {View ? (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <View />
          </Suspense>
        ) : (
          <section className="empty-page">
            <h1>Nothing to show</h1>
            <p>Your profile ({rights.profileName}) opens none of the supervisor pages. Ask an administrator if you need access.</p>
          </section>
        )}
      </main>
      <SessionDock />
    </div>
  );
}
