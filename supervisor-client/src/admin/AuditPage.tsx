import { AUDIT_ACTION_TEXT, AUDIT_OUTCOMES, describeAuditRecord, type AuditChoice, type AuditQuery, type ResponseOf } from '@earshot/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useLiveApp } from '../live/liveAppContext';
import { downloadText } from '../ui/download';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { useLoad } from '../ui/useLoad';
import { auditCsv } from './auditCsv';
import { fetchAllAuditRecords } from './auditExport';
import {
  AUDIT_OUTCOME_TEXT,
  AUDIT_TARGET_TYPES,
  AUDIT_TARGET_TYPE_TEXT,
  auditQueryOf,
  auditTargetChoices,
  EMPTY_AUDIT_FILTER,
  type AuditFilterForm,
} from './auditFilters';
import { PagerButtons, useCursorPages } from '../ui/cursorPages';

const PAGE_SIZE = 50;

/** The action filter in words, alphabetical by what people read. */
const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_TEXT).sort(([, a], [, b]) => a.localeCompare(b));

function ChoiceOptions({ choices }: { choices: readonly AuditChoice[] | undefined }) {
  return (choices ?? []).map((c) => (
    <option key={c.id} value={c.id}>
      {c.name}
    </option>
  ));
}

const timeOf = (at: number) =>
  new Date(at).toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The audit log: filters, pages newest first, and a CSV export of everything the filters match. */
export function AuditPage() {
  const app = useLiveApp();
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  const [query, setQuery] = useState<AuditQuery>({});
  /** The `before` cursor of each page shown so far: the last one is the current page. */
  const pages = useCursorPages(PAGE_SIZE);
  const [page, setPage] = useState<ResponseOf<'audit:query'> | null>(null);
  const load = useAction();
  const exporting = useAction();
  // The actor and the target are chosen by name, never typed as an internal id (issue 13, "Readable for people").
  const choices = useLoad(() => app.connection.request('audit:choices', {}));
  const targetChoices = auditTargetChoices(choices.data, form.targetType);

  const { before, first } = pages;
  useEffect(() => {
    void load.run(async () => {
      const ack = await app.connection.request('audit:query', { ...query, limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
      if (ack.ok) setPage(ack.data);
      return ack;
    });
  }, [app.connection, query, before, load.run]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setQuery(auditQueryOf(form));
    pages.reset();
  };

  const exportCsv = () =>
    exporting.run(async () => {
      const ack = await fetchAllAuditRecords(app.connection, query);
      if (ack.ok)
        downloadText(
          `earshot-audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}.csv`,
          auditCsv(ack.data.records, ack.data.names),
          'text/csv;charset=utf-8',
        );
      return ack;
    });

  const shown = page?.records.length ?? 0;
  const set = (patch: Partial<AuditFilterForm>) => setForm((f) => ({ ...f, ...patch }));

  return (
    <section className="admin-page" aria-labelledby="audit-title">
      <div className="page-heading">
        <h1 id="audit-title">Audit log</h1>
        <span className="muted">Every action, allowed or refused, chained so that no record can be changed unseen.</span>
      </div>
      <form className="audit-filters" onSubmit={apply} aria-label="Audit filters">
        <label>
          Action
          <select value={form.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">Any</option>
            {ACTION_OPTIONS.map(([action, text]) => (
              <option key={action} value={action}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={form.outcome} onChange={(e) => set({ outcome: e.target.value as AuditFilterForm['outcome'] })}>
            <option value="">Any</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {AUDIT_OUTCOME_TEXT[o]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <select value={form.actorId} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">Anyone</option>
            <ChoiceOptions choices={choices.data?.users} />
          </select>
        </label>
        <label>
          Target
          <select value={form.targetType} onChange={(e) => set({ targetType: e.target.value, targetId: '' })}>
            <option value="">Any</option>
            {AUDIT_TARGET_TYPES.map((t) => (
              <option key={t} value={t}>
                {AUDIT_TARGET_TYPE_TEXT[t]}
              </option>
            ))}
          </select>
        </label>
        {targetChoices && (
          <label>
            {targetChoices.label}
            <select value={form.targetId} onChange={(e) => set({ targetId: e.target.value })}>
              <option value="">{targetChoices.any}</option>
              <ChoiceOptions choices={targetChoices.choices} />
            </select>
          </label>
        )}
        <label>
          From
          <input type="datetime-local" value={form.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" value={form.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY_AUDIT_FILTER);
              setQuery({});
              pages.reset();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNote message={choices.error} />
      <ErrorNote message={load.error} />
      <ErrorNote message={exporting.error} onDismiss={() => exporting.setError(null)} />
      <div className="pager">
        <span role="status" className="muted">
          {page ? (shown === 0 ? 'No record matches' : `Records ${first}–${first + shown - 1} of ${page.total}`) : 'Loading…'}
        </span>
        <PagerButtons pages={pages} nextBefore={page?.nextBefore} busy={load.busy} />
        <button type="button" disabled={exporting.busy || !page || page.total === 0} onClick={() => void exportCsv()}>
          {exporting.busy ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <div className="table-frame">
        <table className="data-table audit-table card-rows" aria-label="Audit records">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page?.records.map((r) => {
              const text = describeAuditRecord(r, page.names, timeOf);
              return (
                <tr key={r.id} data-action={r.action}>
                  {/* data-label: on a phone each record is a card, and each value says what it is. */}
                  <td className="nowrap" data-label="Time">
                    {timeOf(r.at)}
                  </td>
                  <td data-label="Actor">{r.actorName ?? <span className="muted">System</span>}</td>
                  <td data-label="Action">{text.action}</td>
                  <td data-label="Target">{text.target ?? '—'}</td>
                  <td data-label="Outcome">
                    <span className={`outcome outcome-${r.outcome}`}>{AUDIT_OUTCOME_TEXT[r.outcome]}</span>
                  </td>
                  <td className="detail" data-label="Details">
                    {text.fields.length > 0 && (
                      <dl className="audit-fields">
                        {text.fields.map((f) => (
                          <div key={f.label}>
                            <dt>{f.label}</dt>
                            <dd>{f.value}</dd>
                          </div>
                        ))}
                      </dl>
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
