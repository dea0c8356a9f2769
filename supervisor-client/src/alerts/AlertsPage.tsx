import {
  ALERT_KIND_LABEL,
  ALERT_KINDS,
  AlertThresholdsSchema,
  OwnThresholdsSchema,
  type AlertKind,
  type AlertSettings,
  type AlertThresholds,
  type OwnThresholds,
} from '@earshot/shared';
import { Fragment, useEffect, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { DoneNote } from '../ui/DoneNote';
import { ErrorNote } from '../ui/ErrorNote';
import { type FieldErrors, useFieldErrors } from '../ui/fieldErrors';
import { useAction } from '../ui/useAction';
import { formatThreshold } from './alertText';
import { desktopPermission, requestDesktopPermission } from './alertSignals';

type Draft = Record<AlertKind, string>;

const draftOf = (values: Record<AlertKind, number | null>): Draft =>
  Object.fromEntries(ALERT_KINDS.map((k) => [k, values[k] === null ? '' : String(values[k])])) as Draft;

/** A typed number as the wire takes it; what is not a number is sent as is, for the server's schema to name. */
const secondsOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * Alerts: the administrator's default thresholds (Change System Settings), the user's own tighter ones,
 * and how a new alert reaches them (a desktop notification, a sound; both off until turned on).
 */
export function AlertsPage() {
  const app = useLiveApp();
  const settings = useStore(app.alerts);
  const rights = useStore(app.rights);
  return (
    <section className="admin-page alerts-page" aria-labelledby="alerts-title">
      <div className="page-heading">
        <h1 id="alerts-title">Alerts</h1>
        <span className="muted">A board row or a queue past a threshold is marked, and counted in the top bar.</span>
      </div>
      {settings === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          {rights.rights.includes('system.settings') && <DefaultsForm settings={settings} />}
          {rights.rights.includes('phoneState.view') && (
            <>
              <OwnForm settings={settings} />
              <SignalsForm settings={settings} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function DefaultsForm({ settings }: { settings: AlertSettings }) {
  const app = useLiveApp();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings.defaults));
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => setDraft(draftOf(settings.defaults)), [settings.defaults]);
  const thresholds = Object.fromEntries(ALERT_KINDS.map((k) => [k, secondsOf(draft[k])])) as AlertThresholds;
  const errors = useFieldErrors(AlertThresholdsSchema, thresholds);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (!errors.submit()) return;
    if (await action.run(() => app.alerts.setDefaults(thresholds))) setDone('Defaults saved: everyone’s alerts follow them now');
  };
  return (
    <form className="editor-form" aria-labelledby="alert-defaults-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="alert-defaults-title">Default thresholds</h2>
      <p className="muted">For everyone. A supervisor may lower them for themselves, never raise them.</p>
      <ThresholdFields draft={draft} setDraft={setDraft} errors={errors} input={() => ({ max: 86_400, required: true })} />
      <ErrorNote message={action.error} />
      <DoneNote message={done} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy}>
          Save defaults
        </button>
      </div>
    </form>
  );
}

function OwnForm({ settings }: { settings: AlertSettings }) {
  const app = useLiveApp();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings.own));
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => setDraft(draftOf(settings.own)), [settings.own]);
  const own = Object.fromEntries(ALERT_KINDS.map((k) => [k, draft[k].trim() === '' ? null : secondsOf(draft[k])])) as OwnThresholds;
  const errors = useFieldErrors(OwnThresholdsSchema, own);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (!errors.submit()) return;
    if (await action.run(() => app.alerts.setMine({ own }))) setDone('Your thresholds are saved');
  };
  return (
    <form className="editor-form" aria-labelledby="alert-own-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="alert-own-title">My thresholds</h2>
      <p className="muted">Leave a field empty to keep the default. You may only lower a threshold.</p>
      <ThresholdFields
        draft={draft}
        setDraft={setDraft}
        errors={errors}
        input={(k) => ({ placeholder: `Default ${settings.defaults[k]}` })}
        note={(k) => <span className="field-note">In use: {formatThreshold(settings.effective[k])}</span>}
      />
      <ErrorNote message={action.error} />
      <DoneNote message={done} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy}>
          Save my thresholds
        </button>
      </div>
    </form>
  );
}

/**
 * A number field per kind of threshold, each with its sentence when it is wrong: the defaults' form and a
 * supervisor's own differ only in what `input` adds to each field and the `note` under it.
 */
function ThresholdFields({
  draft,
  setDraft,
  errors,
  input,
  note,
}: {
  draft: Draft;
  setDraft: (draft: Draft) => void;
  errors: FieldErrors;
  input: (kind: AlertKind) => InputHTMLAttributes<HTMLInputElement>;
  note?: (kind: AlertKind) => ReactNode;
}) {
  return (
    <div className="form-grid">
      {ALERT_KINDS.map((k) => (
        <Fragment key={k}>
          {errors.field(
            k,
            `${ALERT_KIND_LABEL[k]} (seconds)`,
            <>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                value={draft[k]}
                onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
                {...input(k)}
                {...errors.input(k)}
              />
              {note?.(k)}
            </>,
          )}
        </Fragment>
      ))}
    </div>
  );
}

function SignalsForm({ settings }: { settings: AlertSettings }) {
  const app = useLiveApp();
  const action = useAction();
  const [permission, setPermission] = useState(desktopPermission);
  const { signals } = settings;
  const setDesktop = async (on: boolean) => {
    // The browser asks once; a refusal is the user's and the browser's to undo, and is said here.
    if (on && permission === 'default') setPermission(await requestDesktopPermission());
    await action.run(() => app.alerts.setMine({ signals: { ...signals, desktop: on } }));
  };
  return (
    <fieldset className="editor-form alert-signals">
      <legend>When a threshold is passed or an agent asks for help</legend>
      <label className="toggle">
        <input type="checkbox" checked={signals.desktop} disabled={action.busy} onChange={(e) => void setDesktop(e.target.checked)} />
        Show a desktop notification
      </label>
      {signals.desktop && permission === 'denied' && (
        <p className="field-note">This browser blocks notifications from this site: allow them in its site settings.</p>
      )}
      {permission === 'unsupported' && <p className="field-note">This browser shows no desktop notifications.</p>}
      <label className="toggle">
        <input
          type="checkbox"
          checked={signals.sound}
          disabled={action.busy}
          onChange={(e) => void action.run(() => app.alerts.setMine({ signals: { ...signals, sound: e.target.checked } }))}
        />
        Play a sound
      </label>
      <ErrorNote message={action.error} />
    </fieldset>
  );
}
