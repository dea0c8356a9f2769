import { AUDIT_PAGE_MAX, type Ack, type AuditNames, type AuditQuery, type AuditRecord } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';

/**
 * Every record the filters match, newest first, read page by page with the `before` cursor, with the names of
 * what they refer to (each page's names, put together).
 */
export async function fetchAllAuditRecords(connection: LiveConnection, query: AuditQuery): Promise<Ack<{ records: AuditRecord[]; names: AuditNames }>> {
  const records: AuditRecord[] = [];
  const names: AuditNames = { users: {}, profiles: {}, teams: {}, calls: {} };
  let before: number | undefined;
  for (;;) {
    const ack = await connection.request('audit:query', { ...query, limit: AUDIT_PAGE_MAX, ...(before === undefined ? {} : { before }) });
    if (!ack.ok) return ack;
    records.push(...ack.data.records);
    for (const kind of ['users', 'profiles', 'teams', 'calls'] as const) Object.assign(names[kind], ack.data.names[kind]);
    if (ack.data.nextBefore === null) return { ok: true, data: { records, names } };
    before = ack.data.nextBefore;
  }
}
