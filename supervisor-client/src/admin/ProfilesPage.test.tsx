// @vitest-environment happy-dom
import { INSTALLED_PROFILES, RIGHTS, type Profile } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf } from '../testing/fixtures';
import { ProfilesPage } from './ProfilesPage';

afterEach(cleanup);

const profiles: Profile[] = INSTALLED_PROFILES.map((p, i) => ({
  id: i + 1,
  key: p.key,
  name: p.name,
  rights: [...p.rights],
  scope: p.scope,
  memberCount: 2,
  locked: p.key === 'administrator',
}));
const manager = profiles.find((p) => p.key === 'manager')!;

async function renderPage() {
  const { app, connection } = fakeLiveApp(rightsOf('administrator', 1), 'Alex Admin');
  connection.answer('profiles:list', () => ({ ok: true, data: { profiles } }));
  render(
    <LiveAppContext.Provider value={app}>
      <ProfilesPage />
    </LiveAppContext.Provider>,
  );
  await screen.findByRole('checkbox', { name: 'Barge for Manager' });
  return connection;
}

const cell = (right: string, profile: string) => screen.getByRole('checkbox', { name: `${right} for ${profile}` }) as HTMLInputElement;

describe('the profile matrix', () => {
  it('has the rights as rows and the profiles as columns, in the seed table order', async () => {
    await renderPage();
    const headers = within(screen.getByRole('table'))
      .getAllByRole('columnheader')
      .map((h) => h.querySelector('.profile-name')?.textContent ?? h.textContent);
    expect(headers).toEqual(['Right', 'Agent', 'Privileged User', 'Administrator', 'Limited Admin', 'Manager']);
    const rows = within(screen.getByRole('table'))
      .getAllByRole('rowheader')
      .map((h) => h.querySelector('.right-label')?.textContent);
    expect(rows).toEqual([...RIGHTS.map((r) => r.label), 'Scope', undefined]);
    expect(cell('Barge', 'Manager').checked).toBe(true);
    expect(cell('Take Over', 'Manager').checked).toBe(false);
  });

  it('locks the Administrator column: every right checked, none editable, no rename or delete', async () => {
    await renderPage();
    for (const r of RIGHTS) {
      expect(cell(r.label, 'Administrator').checked).toBe(true);
      expect(cell(r.label, 'Administrator').disabled).toBe(true);
    }
    expect((screen.getByRole('combobox', { name: 'Scope of Administrator' }) as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Rename Administrator' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Administrator' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Agent' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete Manager' })).toBeTruthy();
  });

  it('saves a column as one profiles:update with its rights and scope', async () => {
    const connection = await renderPage();
    connection.answer('profiles:update', (p) => ({ ok: true, data: { profile: { ...manager, rights: p.rights! } } }));
    expect(screen.queryByRole('button', { name: 'Save Manager' })).toBeNull();
    fireEvent.click(cell('Barge', 'Manager'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save Manager' })));
    expect(connection.sent.find((s) => s.event === 'profiles:update')).toEqual({
      event: 'profiles:update',
      payload: { profileId: manager.id, rights: manager.rights.filter((r) => r !== 'live.barge'), scope: 'managed' },
    });
    expect(screen.getByRole('status').textContent).toBe('Manager saved');
  });

  it('a refused save explains the rule and keeps the draft', async () => {
    const connection = await renderPage();
    connection.answer('profiles:update', () => ({
      ok: false,
      error: { code: 'INVALID', message: 'Coach needs Live Monitor (live.monitor): coaching starts from listening (rule 5)' },
    }));
    fireEvent.click(cell('Live Monitor', 'Manager'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save Manager' })));
    expect(screen.getByRole('alert').textContent).toContain('Manager: Coach needs Live Monitor (live.monitor): coaching starts from listening (rule 5)');
    expect(cell('Live Monitor', 'Manager').checked).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes to Manager' }));
    expect(cell('Live Monitor', 'Manager').checked).toBe(true);
  });
});
