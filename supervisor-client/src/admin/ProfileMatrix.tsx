import { RIGHTS, type MeRights, type Profile, type RightId, type Scope } from '@earshot/shared';
import { matrixCell, profileDeletable, profileLock, scopeChoices } from '../gating/adminAccess';
import { LockIcon } from '../ui/LockIcon';
import { draftOf, isDirty, withRight, type ProfileDraft } from './profileDraft';

export interface MatrixHandlers {
  onDraft: (profileId: number, draft: ProfileDraft) => void;
  onSave: (profile: Profile) => void;
  onDiscard: (profileId: number) => void;
  onRename: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

const SCOPE_LABEL: Record<Scope, string> = { own: 'Own', managed: 'Managed', all: 'All users' };

/**
 * The security profile matrix as the seeds draw it: rights as rows, profiles as columns. A column is
 * edited as a draft and saved whole, so a change that needs two rights (Coach with Live Monitor) is one
 * save; the server judges it against docs/permissions.md rules 1, 5 and 6.
 */
export function ProfileMatrix({
  me,
  profiles,
  drafts,
  busy,
  handlers,
}: {
  me: MeRights;
  profiles: readonly Profile[];
  drafts: Readonly<Record<number, ProfileDraft>>;
  busy: boolean;
  handlers: MatrixHandlers;
}) {
  const current = (p: Profile) => drafts[p.id] ?? draftOf(p);
  return (
    // On a phone the matrix is wider than the screen: it scrolls sideways in this named region, not the page;
    // a keyboard reaches every cell through its checkboxes.
    <section className="table-frame matrix-frame" aria-label="Rights of each profile">
      <table className="matrix">
        <caption className="visually-hidden">Rights by security profile</caption>
        <thead>
          <tr>
            <th scope="col" className="matrix-corner">
              Right
            </th>
            {profiles.map((p) => (
              <th key={p.id} scope="col" className={p.locked ? 'locked' : undefined}>
                <div className="profile-head">
                  <span className="profile-name">
                    {p.locked && <LockIcon />}
                    {p.name}
                  </span>
                  <span className="muted">
                    {p.memberCount} {p.memberCount === 1 ? 'member' : 'members'}
                  </span>
                  {p.locked ? (
                    <span className="locked-note">Locked</span>
                  ) : (
                    <span className="profile-actions">
                      <button type="button" className="link-button" onClick={() => handlers.onRename(p)} aria-label={`Rename ${p.name}`}>
                        Rename
                      </button>
                      {profileDeletable(me, p) && (
                        <button type="button" className="link-button danger-text" onClick={() => handlers.onDelete(p)} aria-label={`Delete ${p.name}`}>
                          Delete
                        </button>
                      )}
                    </span>
                  )}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {RIGHTS.map((right) => (
            <tr key={right.id}>
              <th scope="row" title={`${right.id}: ${right.description}`}>
                <span className="right-label">{right.label}</span>
              </th>
              {profiles.map((p) => (
                <MatrixCell key={p.id} me={me} profile={p} right={right.id} label={right.label} draft={current(p)} onDraft={handlers.onDraft} />
              ))}
            </tr>
          ))}
          <tr className="scope-row">
            <th scope="row" title="Who a right reaches: the user alone, the teams they supervise, or everyone">
              <span className="right-label">Scope</span>
            </th>
            {profiles.map((p) => {
              const draft = current(p);
              const lock = profileLock(me, p);
              return (
                <td key={p.id} className={[p.locked ? 'locked' : '', draft.scope !== p.scope ? 'changed' : ''].join(' ').trim() || undefined}>
                  <select
                    aria-label={`Scope of ${p.name}`}
                    value={draft.scope}
                    disabled={lock !== null}
                    title={lock ?? undefined}
                    onChange={(e) => handlers.onDraft(p.id, { ...draft, scope: e.target.value as Scope })}
                  >
                    {scopeChoices(me, p.scope).map((s) => (
                      <option key={s} value={s}>
                        {SCOPE_LABEL[s]}
                      </option>
                    ))}
                  </select>
                </td>
              );
            })}
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">
              <span className="visually-hidden">Save</span>
            </th>
            {profiles.map((p) => (
              <td key={p.id}>
                {isDirty(p, drafts[p.id]) && (
                  <span className="column-actions">
                    <button type="button" className="primary small" disabled={busy} onClick={() => handlers.onSave(p)} aria-label={`Save ${p.name}`}>
                      Save
                    </button>
                    <button
                      type="button"
                      className="small"
                      disabled={busy}
                      onClick={() => handlers.onDiscard(p.id)}
                      aria-label={`Discard changes to ${p.name}`}
                    >
                      Discard
                    </button>
                  </span>
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function MatrixCell({
  me,
  profile,
  right,
  label,
  draft,
  onDraft,
}: {
  me: MeRights;
  profile: Profile;
  right: RightId;
  label: string;
  draft: ProfileDraft;
  onDraft: MatrixHandlers['onDraft'];
}) {
  const access = matrixCell(me, profile, right);
  const checked = draft.rights.includes(right);
  const changed = checked !== profile.rights.includes(right);
  const classes = [profile.locked ? 'locked' : '', changed ? 'changed' : ''].filter(Boolean).join(' ');
  return (
    <td className={classes || undefined}>
      <input
        type="checkbox"
        aria-label={`${label} for ${profile.name}`}
        checked={checked}
        disabled={!access.editable}
        title={access.reason ?? undefined}
        onChange={(e) => onDraft(profile.id, withRight(draft, right, e.target.checked))}
      />
    </td>
  );
}
