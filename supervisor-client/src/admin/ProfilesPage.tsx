import { PROFILE_NAME_MAX, ProfileCreateRequestSchema, type Profile, type Scope } from '@earshot/shared';
import { useState, type FormEvent } from 'react';
import { scopeChoices } from '../gating/adminAccess';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { ErrorNote } from '../ui/ErrorNote';
import { useFieldErrors } from '../ui/fieldErrors';
import { useAction } from '../ui/useAction';
import { useLoad } from '../ui/useLoad';
import { ProfileMatrix } from './ProfileMatrix';
import type { ProfileDraft } from './profileDraft';
import { ConfirmBar } from '../ui/ConfirmBar';
import { DoneNote } from '../ui/DoneNote';

/** A profile's name, checked as the server checks it when a profile is created or renamed. */
const ProfileNameRequestSchema = ProfileCreateRequestSchema.pick({ name: true });

/** A refusal names the profile it was about: the matrix has several columns. */
const about = (name: string, message: string) => `${name}: ${message}`;

/** Security profiles: the matrix editor, and create, rename, delete. */
export function ProfilesPage() {
  const app = useLiveApp();
  const me = useStore(app.rights);
  const list = useLoad(() => app.connection.request('profiles:list', {}));
  const [drafts, setDrafts] = useState<Record<number, ProfileDraft>>({});
  const [renaming, setRenaming] = useState<{ profile: Profile; name: string } | null>(null);
  const [deleting, setDeleting] = useState<Profile | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const profiles = [...(list.data?.profiles ?? [])].sort((a, b) => a.id - b.id);

  const dropDraft = (id: number) =>
    setDrafts((d) => {
      const { [id]: _dropped, ...rest } = d;
      return rest;
    });

  const act = async (what: () => ReturnType<typeof action.run>, success: string) => {
    setDone(null);
    if (await what()) {
      setDone(success);
      await list.reload();
      return true;
    }
    return false;
  };

  const save = (p: Profile) => {
    const draft = drafts[p.id];
    if (!draft) return;
    void act(
      () =>
        action.run(async () => {
          const ack = await app.connection.request('profiles:update', { profileId: p.id, rights: [...draft.rights], scope: draft.scope });
          return ack.ok ? ack : { ok: false, error: { ...ack.error, message: about(p.name, ack.error.message) } };
        }),
      `${p.name} saved`,
    ).then((saved) => saved && dropDraft(p.id));
  };

  const rename = async () => {
    if (!renaming) return;
    const { profile, name } = renaming;
    const ok = await act(
      () =>
        action.run(async () => {
          const ack = await app.connection.request('profiles:rename', { profileId: profile.id, name });
          return ack.ok ? ack : { ok: false, error: { ...ack.error, message: about(profile.name, ack.error.message) } };
        }),
      `${profile.name} renamed to ${name.trim()}`,
    );
    if (ok) setRenaming(null);
  };

  const remove = async (profile: Profile) => {
    const ok = await act(() => action.run(() => app.connection.request('profiles:delete', { profileId: profile.id })), `${profile.name} deleted`);
    if (ok) {
      setDeleting(null);
      dropDraft(profile.id);
    }
  };

  return (
    <section className="admin-page" aria-labelledby="profiles-title">
      <div className="page-heading">
        <h1 id="profiles-title">Security profiles</h1>
        <span className="muted">Each user holds one profile: its rights, and the scope they reach.</span>
      </div>
      <ErrorNote message={list.error} />
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
      <DoneNote message={done} />
      {renaming && (
        <RenameProfile
          profile={renaming.profile}
          name={renaming.name}
          busy={action.busy}
          onName={(name) => setRenaming({ ...renaming, name })}
          onSubmit={() => void rename()}
          onCancel={() => setRenaming(null)}
        />
      )}
      {deleting && (
        <ConfirmBar label={`Delete ${deleting.name}`} busy={action.busy} onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          Delete the profile <strong>{deleting.name}</strong>?{' '}
          {deleting.memberCount > 0
            ? `Its ${deleting.memberCount} ${deleting.memberCount === 1 ? 'member moves' : 'members move'} to the Agent profile.`
            : 'It has no members.'}
        </ConfirmBar>
      )}
      {!list.data && !list.error && <p className="muted">Loading the profiles…</p>}
      {list.data && (
        <ProfileMatrix
          me={me}
          profiles={profiles}
          drafts={drafts}
          busy={action.busy}
          handlers={{
            onDraft: (id, draft) => setDrafts((d) => ({ ...d, [id]: draft })),
            onSave: save,
            onDiscard: (id) => {
              dropDraft(id);
              action.setError(null);
            },
            onRename: (profile) => setRenaming({ profile, name: profile.name }),
            onDelete: setDeleting,
          }}
        />
      )}
      <CreateProfile
        profiles={profiles}
        scopes={scopeChoices(me, 'own')}
        busy={action.busy}
        onCreate={(name, from, scope) =>
          act(
            () => action.run(() => app.connection.request('profiles:create', { name, scope, rights: from ? [...from.rights] : [] })),
            `${name.trim()} created`,
          )
        }
      />
    </section>
  );
}

function CreateProfile({
  profiles,
  scopes,
  busy,
  onCreate,
}: {
  profiles: readonly Profile[];
  scopes: Scope[];
  busy: boolean;
  onCreate: (name: string, from: Profile | null, scope: Scope) => Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [fromId, setFromId] = useState('');
  const [scope, setScope] = useState<Scope>('own');
  const errors = useFieldErrors(ProfileNameRequestSchema, { name });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!errors.submit()) return;
    const from = profiles.find((p) => String(p.id) === fromId) ?? null;
    if (await onCreate(name, from, scope)) setName('');
  };
  return (
    <form className="inline-form create-profile" onSubmit={submit} aria-labelledby="create-profile-title" noValidate>
      <h2 id="create-profile-title">New profile</h2>
      {errors.field(
        'name',
        'Name',
        <input value={name} maxLength={PROFILE_NAME_MAX} onChange={(e) => setName(e.target.value)} required {...errors.input('name')} />,
      )}
      <label>
        Start from the rights of
        <select
          value={fromId}
          onChange={(e) => {
            setFromId(e.target.value);
            const from = profiles.find((p) => String(p.id) === e.target.value);
            if (from && scopes.includes(from.scope)) setScope(from.scope);
          }}
        >
          <option value="">No rights</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scope
        <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          {scopes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Create profile
      </button>
    </form>
  );
}

function RenameProfile({
  profile,
  name,
  busy,
  onName,
  onSubmit,
  onCancel,
}: {
  profile: Profile;
  name: string;
  busy: boolean;
  onName: (name: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const errors = useFieldErrors(ProfileNameRequestSchema, { name });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (errors.submit()) onSubmit();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Rename ${profile.name}`} noValidate>
      {errors.field(
        'name',
        `New name for ${profile.name}`,
        <input value={name} maxLength={PROFILE_NAME_MAX} onChange={(e) => onName(e.target.value)} autoFocus required {...errors.input('name')} />,
      )}
      <button type="submit" className="primary" disabled={busy}>
        Rename
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
