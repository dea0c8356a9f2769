// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf } from '../testing/fixtures';
import { Shell } from './Shell';

afterEach(cleanup);

it('the menu follows me:rights as they change, without a reload; an admin page loads on demand', async () => {
  const { app, connection } = fakeLiveApp(rightsOf('administrator', 1), 'Alex Admin');
  window.history.replaceState(null, '', '/profiles');
  render(
    <LiveAppContext.Provider value={app}>
      <Shell onLogOut={() => undefined} />
    </LiveAppContext.Provider>,
  );
  const menu = () =>
    within(screen.getByRole('navigation', { name: 'Pages' }))
      .getAllByRole('link')
      .map((a) => a.textContent);
  expect(menu()).toEqual(['Live board', 'Recordings', 'Profiles', 'Users', 'Teams', 'Audit log', 'Alerts']);
  // The admin pages are their own chunk: the page shows while it loads, then the page.
  expect(screen.getByText('Loading…').getAttribute('role')).toBe('status');
  expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Security profiles');

  // The administrator is demoted to Limited Admin: the profile and audit pages go, the open one with them.
  act(() => connection.push('me:rights', rightsOf('limitedAdmin', 1)));
  expect(menu()).toEqual(['Live board', 'Recordings', 'Users', 'Teams', 'Alerts']);
  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Live board');
  expect(window.location.pathname).toBe('/board');
  expect(screen.getByText('Limited Admin')).toBeTruthy();
});
