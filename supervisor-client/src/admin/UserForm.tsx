import { UserCreateRequestSchema, UserUpdateRequestSchema, type Profile, type RequestOf, type Team, type User } from '@earshot/shared';
import { useState, type FormEvent } from 'react';
import { Checklist } from '../ui/Checklist';
import { useFieldErrors } from '../ui/fieldErrors';
import { FormActions } from '../ui/FormActions';

/** A user as `users:create` sends it, every list filled in; on an edit an empty password keeps the old one. */
export type UserFormValues = Required<RequestOf<'users:create'>>;

export type UserRequest = { event: 'users:create'; payload: RequestOf<'users:create'> } | { event: 'users:update'; payload: RequestOf<'users:update'> };

/**
 * What the form sends: a new user as typed; an edit without the username, and with a password only when one is
 * typed. An emptied extension removes it.
 */
export function userRequestOf(user: User | null, values: UserFormValues): UserRequest {
  const extension = values.extension?.trim() ? values.extension.trim() : null;
  if (user === null) return { event: 'users:create', payload: { ...values, extension } };
  const { displayName, profileId, memberOf, supervises, password } = values;
  return { event: 'users:update', payload: { userId: user.id, displayName, profileId, memberOf, supervises, extension, ...(password ? { password } : {}) } };
}

/** Create a user (username and password required) or edit one (password only to set a new one). */
export function UserForm({
  user,
  profiles,
  refusal,
  teams,
  busy,
  onSubmit,
  onCancel,
}: {
  user: User | null;
  /** Every profile; those this editor may not assign are shown disabled. */
  profiles: readonly Profile[];
  /** Why this editor may not assign a profile (docs/permissions.md rule 6), or null when they may. */
  refusal: (profile: Profile) => string | null;
  teams: readonly Team[];
  busy: boolean;
  onSubmit: (request: UserRequest, values: UserFormValues) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<UserFormValues>({
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    password: '',
    // A new user is an Agent unless the editor may not make one: never, silently, a profile with more power.
    profileId: user?.profileId ?? [...profiles].sort((a, b) => Number(b.key === 'agent') - Number(a.key === 'agent')).find((p) => refusal(p) === null)?.id ?? 0,
    memberOf: user?.memberOf ?? [],
    supervises: user?.supervises ?? [],
    extension: user?.extension ?? null,
  });
  const set = (patch: Partial<UserFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const request = userRequestOf(user, values);
  const errors = useFieldErrors(user ? UserUpdateRequestSchema : UserCreateRequestSchema, request.payload);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (errors.submit()) onSubmit(request, values);
  };
  const teamOptions = teams.map((t) => ({ id: t.id, name: t.name }));
  const title = user ? `Edit ${user.displayName}` : 'New user';
  return (
    <form className="editor-form" onSubmit={submit} aria-label={title} noValidate>
      <h2>{title}</h2>
      <div className="form-grid">
        {errors.field(
          'username',
          'Username',
          <input
            value={values.username}
            onChange={(e) => set({ username: e.target.value })}
            disabled={user !== null}
            required
            autoComplete="off"
            {...errors.input('username')}
          />,
        )}
        {errors.field(
          'displayName',
          'Display name',
          <input value={values.displayName} onChange={(e) => set({ displayName: e.target.value })} required {...errors.input('displayName')} />,
        )}
        {errors.field(
          'password',
          user ? 'New password (leave empty to keep)' : 'Password',
          <input
            type="password"
            value={values.password}
            onChange={(e) => set({ password: e.target.value })}
            required={user === null}
            autoComplete="new-password"
            {...errors.input('password')}
          />,
        )}
        {errors.field(
          'extension',
          'Extension (telephony)',
          <input
            value={values.extension ?? ''}
            onChange={(e) => set({ extension: e.target.value })}
            placeholder="e.g. 1001"
            autoComplete="off"
            {...errors.input('extension')}
          />,
        )}
        <label>
          Profile
          <select value={values.profileId} onChange={(e) => set({ profileId: Number(e.target.value) })}>
            {profiles.map((p) => {
              const why = refusal(p);
              return (
                <option key={p.id} value={p.id} disabled={why !== null} title={why ?? undefined}>
                  {why ? `${p.name} — ${why}` : p.name}
                </option>
              );
            })}
          </select>
        </label>
      </div>
      <div className="form-grid">
        <Checklist legend="Member of" options={teamOptions} selected={values.memberOf} onChange={(memberOf) => set({ memberOf })} />
        <Checklist legend="Supervises" options={teamOptions} selected={values.supervises} onChange={(supervises) => set({ supervises })} />
      </div>
      <FormActions submitLabel={user ? 'Save user' : 'Create user'} busy={busy} onCancel={onCancel} />
    </form>
  );
}
