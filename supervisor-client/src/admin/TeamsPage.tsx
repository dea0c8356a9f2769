import { TeamCreateRequestSchema, type RequestOf, type Team, type User } from '@earshot/shared';
import { useState, type FormEvent } from 'react';
import { useLiveApp } from '../live/liveAppContext';
import { Checklist } from '../ui/Checklist';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { useLoad } from '../ui/useLoad';
import { ConfirmBar } from '../ui/ConfirmBar';
import { DoneNote } from '../ui/DoneNote';
import { useFieldErrors } from '../ui/fieldErrors';
import { FormActions } from '../ui/FormActions';

/** The form holds a team as `teams:create` sends it, every list filled in. */
type TeamValues = Required<RequestOf<'teams:create'>>;

/** Teams: who is in them and who supervises them (a supervisor's managed users are their members). */
export function TeamsPage() {
  const app = useLiveApp();
  const teams = useLoad(() => app.connection.request('teams:list', {}));
  const users = useLoad(() => app.connection.request('users:list', {}));
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  const userList: User[] = [...(users.data?.users ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const teamList = [...(teams.data?.teams ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const names = (ids: readonly number[]) => ids.map((id) => userList.find((u) => u.id === id)?.displayName ?? `User ${id}`).join(', ') || '—';

  const finish = async (ok: boolean, message: string) => {
    if (!ok) return;
    setDone(message);
    setEditing(null);
    setDeleting(null);
    await teams.reload();
  };

  const submit = async (values: TeamValues) => {
    setDone(null);
    const ok = await action.run(() =>
      editing === 'new' || editing === null
        ? app.connection.request('teams:create', values)
        : app.connection.request('teams:update', { teamId: editing.id, ...values }),
    );
    await finish(ok, `${values.name.trim()} saved`);
  };

  return (
    <section className="admin-page" aria-labelledby="teams-title">
      <div className="page-heading">
        <h1 id="teams-title">Teams</h1>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setDone(null);
            setEditing('new');
          }}
        >
          New team
        </button>
      </div>
      <ErrorNote message={teams.error ?? users.error} />
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
      <DoneNote message={done} />
      {editing && (
        <TeamForm
          key={editing === 'new' ? 'new' : editing.id}
          team={editing === 'new' ? null : editing}
          users={userList}
          busy={action.busy}
          onSubmit={(v) => void submit(v)}
          onCancel={() => setEditing(null)}
        />
      )}
      {deleting && (
        <ConfirmBar
          label={`Delete ${deleting.name}`}
          busy={action.busy}
          onConfirm={() =>
            void action.run(() => app.connection.request('teams:delete', { teamId: deleting.id })).then((ok) => finish(ok, `${deleting.name} deleted`))
          }
          onCancel={() => setDeleting(null)}
        >
          Delete the team <strong>{deleting.name}</strong>? Its supervisors stop managing its {deleting.memberIds.length} members.
        </ConfirmBar>
      )}
      <div className="table-frame">
        <table className="data-table card-rows" aria-labelledby="teams-title">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Supervisors</th>
              <th scope="col">Members</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {teamList.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                {/* data-label: on a phone each team is a card, and each value says what it is. */}
                <td data-label="Supervisors">{names(t.supervisorIds)}</td>
                <td data-label="Members">{names(t.memberIds)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="small"
                    aria-label={`Edit ${t.name}`}
                    onClick={() => {
                      setDone(null);
                      setEditing(t);
                    }}
                  >
                    Edit
                  </button>
                  <button type="button" className="small danger-text" aria-label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TeamForm({
  team,
  users,
  busy,
  onSubmit,
  onCancel,
}: {
  team: Team | null;
  users: readonly User[];
  busy: boolean;
  onSubmit: (values: TeamValues) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<TeamValues>({
    name: team?.name ?? '',
    memberIds: team?.memberIds ?? [],
    supervisorIds: team?.supervisorIds ?? [],
  });
  const options = users.map((u) => ({ id: u.id, name: u.displayName }));
  // An edit sends the same fields with the team's id: the create schema words their problems alike.
  const errors = useFieldErrors(TeamCreateRequestSchema, values);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (errors.submit()) onSubmit(values);
  };
  const title = team ? `Edit ${team.name}` : 'New team';
  return (
    <form className="editor-form" onSubmit={submit} aria-label={title} noValidate>
      <h2>{title}</h2>
      {errors.field(
        'name',
        'Name',
        <input value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} required {...errors.input('name')} />,
      )}
      <div className="form-grid">
        <Checklist
          legend="Supervisors"
          options={options}
          selected={values.supervisorIds}
          onChange={(supervisorIds) => setValues({ ...values, supervisorIds })}
        />
        <Checklist legend="Members" options={options} selected={values.memberIds} onChange={(memberIds) => setValues({ ...values, memberIds })} />
      </div>
      <FormActions submitLabel={team ? 'Save team' : 'Create team'} busy={busy} onCancel={onCancel} />
    </form>
  );
}
