// @vitest-environment happy-dom
import { INSTALLED_PROFILES, type MeRights, type Profile, type Team, type User } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf, T0 } from '../testing/fixtures';
import { UsersPage } from './UsersPage';

afterEach(cleanup);

const profiles: Profile[] = INSTALLED_PROFILES.map((p, i) => ({
  id: i + 1,
  key: p.key,
  name: p.name,
  rights: [...p.rights],
  scope: p.scope,
  memberCount: 1,
  locked: p.key === 'administrator',
}));
const teams: Team[] = [
  { id: 1, name: 'Billing', memberIds: [11], supervisorIds: [10] },
  { id: 2, name: 'Sales', memberIds: [], supervisorIds: [] },
];
const user = (
  id: number,
  username: string,
  displayName: string,
  profileKey: string,
  memberOf: number[] = [],
  supervises: number[] = [],
  extension: string | null = null,
): User => {
  const p = profiles.find((x) => x.key === profileKey)!;
  return { id, username, displayName, profileId: p.id, profileName: p.name, memberOf, supervises, extension, createdAt: T0 };
};
const users = [
  user(1, 'admin', 'Alex Admin', 'administrator'),
  user(10, 'manager.billing', 'Ava Hill', 'manager', [], [1]),
  user(11, 'agent.billing', 'Ava Adams', 'agent', [1], [], '1001'),
];

async function renderPage(me: MeRights) {
  const { app, connection } = fakeLiveApp(me, 'Alex Admin');
  connection.answer('users:list', () => ({ ok: true, data: { users } }));
  connection.answer('profiles:list', () => ({ ok: true, data: { profiles } }));
  connection.answer('teams:list', () => ({ ok: true, data: { teams } }));
  // The three lists answer at once; act lets every answer land before the test looks.
  await act(async () => {
    render(
      <LiveAppContext.Provider value={app}>
        <UsersPage />
      </LiveAppContext.Provider>,
    );
  });
  await screen.findByRole('row', { name: /Ava Adams/ });
  return connection;
}

describe('users', () => {
  it('lists users with their profile and teams; Delete only where Delete Users reaches', async () => {
    await renderPage(rightsOf('administrator', 1));
    const row = screen.getByRole('row', { name: /Ava Hill/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['manager.billing', '—', 'Manager', '—', 'Billing', 'EditDelete']);
    expect(screen.queryByRole('button', { name: 'Delete Alex Admin' })).toBeNull();
    expect(within(screen.getByRole('row', { name: /Ava Adams/ })).getAllByRole('cell')[1]!.textContent).toBe('1001');
  });

  it('creates a user with a profile, teams and a password', async () => {
    const connection = await renderPage(rightsOf('administrator', 1));
    connection.answer('users:create', (p) => ({ ok: true, data: { user: user(12, p.username, p.displayName, 'manager') } }));
    fireEvent.click(screen.getByRole('button', { name: 'New user' }));
    const form = screen.getByRole('form', { name: 'New user' });
    fireEvent.change(within(form).getByLabelText('Username'), { target: { value: 'new.lead' } });
    fireEvent.change(within(form).getByLabelText('Display name'), { target: { value: 'Nia Lead' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'a-long-password' } });
    fireEvent.change(within(form).getByLabelText('Profile'), { target: { value: String(profiles.find((p) => p.key === 'manager')!.id) } });
    fireEvent.click(within(within(form).getByRole('group', { name: 'Supervises' })).getByLabelText('Sales'));
    fireEvent.change(within(form).getByLabelText('Extension (telephony)'), { target: { value: ' 2040 ' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Create user' })));
    expect(connection.sent.find((s) => s.event === 'users:create')!.payload).toEqual({
      username: 'new.lead',
      displayName: 'Nia Lead',
      password: 'a-long-password',
      profileId: 5,
      memberOf: [],
      supervises: [2],
      extension: '2040',
    });
    expect(screen.getByText('Nia Lead created')).toBeTruthy();
  });

  it('a wrong field is said beside it in a sentence, once left and on submit, and nothing is sent until it is right', async () => {
    const connection = await renderPage(rightsOf('administrator', 1));
    connection.answer('users:create', (p) => ({ ok: true, data: { user: user(12, p.username, p.displayName, 'agent') } }));
    fireEvent.click(screen.getByRole('button', { name: 'New user' }));
    const form = screen.getByRole('form', { name: 'New user' });
    const password = within(form).getByLabelText('Password');
    const sentence = (field: HTMLElement) => {
      const id = field.getAttribute('aria-describedby');
      return id === null ? null : document.getElementById(id)!.textContent;
    };
    fireEvent.change(password, { target: { value: 'short' } });
    expect(sentence(password)).toBeNull();
    fireEvent.blur(password);
    expect(sentence(password)).toBe('The password needs at least 8 characters.');
    expect(password.getAttribute('aria-invalid')).toBe('true');

    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Create user' })));
    expect(sentence(within(form).getByLabelText('Username'))).toBe('The username is required.');
    expect(sentence(within(form).getByLabelText('Display name'))).toBe('The display name is required.');
    expect(connection.sent.some((s) => s.event === 'users:create')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Username'), { target: { value: 'new.agent' } });
    fireEvent.change(within(form).getByLabelText('Display name'), { target: { value: 'Nia New' } });
    fireEvent.change(password, { target: { value: 'a-long-password' } });
    expect(sentence(password)).toBeNull();
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Create user' })));
    expect(connection.sent.filter((s) => s.event === 'users:create')).toHaveLength(1);
  });

  it("a Limited Admin's new user is an Agent; a profile it may not assign is shown disabled with the reason (rule 6)", async () => {
    const connection = await renderPage(rightsOf('limitedAdmin', 2));
    fireEvent.click(screen.getByRole('button', { name: 'New user' }));
    const form = screen.getByRole('form', { name: 'New user' });
    const select = within(form).getByLabelText<HTMLSelectElement>('Profile');
    expect(select.selectedOptions[0]!.textContent).toBe('Agent');
    const options = within(select)
      .getAllByRole<HTMLOptionElement>('option')
      .map((o) => [o.textContent, o.disabled]);
    expect(options).toEqual([
      ['Agent', false],
      ['Privileged User', false],
      ['Administrator — you cannot assign it: it holds Delete Users (users.delete), which you do not (rule 6)', true],
      ['Limited Admin', false],
      ['Manager — you cannot assign it: it holds Barge (live.barge), which you do not (rule 6)', true],
    ]);
    connection.answer('users:create', (p) => ({ ok: true, data: { user: user(12, p.username, p.displayName, 'agent') } }));
    fireEvent.change(within(form).getByLabelText('Username'), { target: { value: 'new.agent' } });
    fireEvent.change(within(form).getByLabelText('Display name'), { target: { value: 'Nia Agent' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'a-long-password' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Create user' })));
    expect(connection.sent.find((s) => s.event === 'users:create')!.payload).toMatchObject({
      username: 'new.agent',
      profileId: profiles.find((p) => p.key === 'agent')!.id,
    });
  });

  it("editing keeps the user's current profile selectable, and offers no Delete to a Limited Admin", async () => {
    await renderPage(rightsOf('limitedAdmin', 2));
    fireEvent.click(screen.getByRole('button', { name: 'Edit Alex Admin' }));
    const select = within(screen.getByRole('form', { name: 'Edit Alex Admin' })).getByLabelText<HTMLSelectElement>('Profile');
    expect(select.selectedOptions[0]!.textContent).toBe('Administrator');
    expect(select.selectedOptions[0]!.disabled).toBe(false);
    expect(within(select).getByRole<HTMLOptionElement>('option', { name: /^Manager/ }).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /^Delete / })).toBeNull();
  });

  it('sends a password only when one is typed, and shows a refusal', async () => {
    const connection = await renderPage(rightsOf('administrator', 1));
    // Someone else deleted Ava meanwhile.
    connection.answer('users:update', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'userId: no user 11' } }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit Ava Adams' }));
    const form = screen.getByRole('form', { name: 'Edit Ava Adams' });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save user' })));
    expect(connection.sent.find((s) => s.event === 'users:update')!.payload).toEqual({
      userId: 11,
      displayName: 'Ava Adams',
      profileId: 1,
      memberOf: [1],
      supervises: [],
      extension: '1001',
    });
    expect(screen.getByRole('alert').textContent).toContain('userId: no user 11');
  });

  it("shows a user's extension for editing; an emptied field removes it", async () => {
    const connection = await renderPage(rightsOf('administrator', 1));
    connection.answer('users:update', (p) => ({ ok: true, data: { user: { ...users[2]!, extension: p.extension ?? null } } }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit Ava Adams' }));
    const form = screen.getByRole('form', { name: 'Edit Ava Adams' });
    const field = within(form).getByLabelText('Extension (telephony)') as HTMLInputElement;
    expect(field.value).toBe('1001');
    fireEvent.change(field, { target: { value: '' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save user' })));
    expect(connection.sent.find((s) => s.event === 'users:update')!.payload).toMatchObject({ userId: 11, extension: null });
  });
});
