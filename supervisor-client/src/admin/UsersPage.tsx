import type { Profile, Team, User } from '@earshot/shared';
import { useState } from 'react';
import { assignRefusal, userActions } from '../gating/adminAccess';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { useLoad } from '../ui/useLoad';
import { UserForm, type UserFormValues, type UserRequest } from './UserForm';
import { ConfirmBar } from '../ui/ConfirmBar';
import { DoneNote } from '../ui/DoneNote';

const namesOf = (ids: readonly number[], teams: readonly Team[]) => ids.map((id) => teams.find((t) => t.id === id)?.name ?? `Team ${id}`).join(', ') || '—';

/** Users: create, edit (profile, teams, password), delete; within the editor's scope and docs/permissions.md rule 6. */
export function UsersPage() {
  const app = useLiveApp();
  const me = useStore(app.rights);
  const users = useLoad(() => app.connection.request('users:list', {}));
  const profiles = useLoad(() => app.connection.request('profiles:list', {}));
  const teams = useLoad(() => app.connection.request('teams:list', {}));
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  const profileList: Profile[] = profiles.data?.profiles ?? [];
  const teamList: Team[] = teams.data?.teams ?? [];
  const userList = [...(users.data?.users ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));

  const finish = async (ok: boolean, message: string) => {
    if (!ok) return;
    setDone(message);
    setEditing(null);
    setDeleting(null);
    await Promise.all([users.reload(), profiles.reload()]);
  };

  const submit = async (request: UserRequest, values: UserFormValues) => {
    setDone(null);
    const ok = await action.run(() =>
      request.event === 'users:create' ? app.connection.request(request.event, request.payload) : app.connection.request(request.event, request.payload),
    );
    return finish(ok, `${values.displayName.trim()} ${request.event === 'users:create' ? 'created' : 'saved'}`);
  };

  const openEditor = (user: User | 'new') => {
    setDone(null);
    setEditing(user);
  };

  // Every profile is listed; one the editor may not assign shows disabled with the reason (a user's current one may stay).
  const refusalFor = (user: User | null) => (p: Profile) => (p.id === user?.profileId ? null : assignRefusal(me, p));

  return (
    <section className="admin-page" aria-labelledby="users-title">
      <div className="page-heading">
        <h1 id="users-title">Users</h1>
        <button type="button" className="primary" onClick={() => openEditor('new')}>
          New user
        </button>
      </div>
      <ErrorNote message={users.error ?? profiles.error ?? teams.error} />
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
      <DoneNote message={done} />
      {editing && (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          profiles={profileList}
          refusal={refusalFor(editing === 'new' ? null : editing)}
          teams={teamList}
          busy={action.busy}
          onSubmit={(request, values) => void submit(request, values)}
          onCancel={() => setEditing(null)}
        />
      )}
      {deleting && (
        <ConfirmBar
          label={`Delete ${deleting.displayName}`}
          busy={action.busy}
          onConfirm={() =>
            void action.run(() => app.connection.request('users:delete', { userId: deleting.id })).then((ok) => finish(ok, `${deleting.displayName} deleted`))
          }
          onCancel={() => setDeleting(null)}
        >
          Delete <strong>{deleting.displayName}</strong> ({deleting.username})? Their logins end at once.
        </ConfirmBar>
      )}
      <div className="table-frame">
        <table className="data-table card-rows" aria-labelledby="users-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username</th>
              <th scope="col">Extension</th>
              <th scope="col">Profile</th>
              <th scope="col">Member of</th>
              <th scope="col">Supervises</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {userList.map((u) => {
              const can = userActions(me, u, profileList);
              return (
                <tr key={u.id}>
                  <th scope="row">{u.displayName}</th>
                  {/* data-label: on a phone each row is a card, and each value says what it is. */}
                  <td className="mono" data-label="Username">
                    {u.username}
                  </td>
                  <td className="mono" data-label="Extension">
                    {u.extension ?? '—'}
                  </td>
                  <td data-label="Profile">{u.profileName}</td>
                  <td data-label="Member of">{namesOf(u.memberOf, teamList)}</td>
                  <td data-label="Supervises">{namesOf(u.supervises, teamList)}</td>
                  <td className="row-actions">
                    {can.edit && (
                      <button type="button" className="small" onClick={() => openEditor(u)} aria-label={`Edit ${u.displayName}`}>
                        Edit
                      </button>
                    )}
                    {can.delete && (
                      <button type="button" className="small danger-text" onClick={() => setDeleting(u)} aria-label={`Delete ${u.displayName}`}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
