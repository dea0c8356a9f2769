import { AUDIT_PAGE_MAX, type Ack, type AuditQuery, type AuditRecord } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';

/** Every record the filters match, newest first, read page by page with the `before` cursor. */
export async function fetchAllAuditRecords(connection: LiveConnection, query: AuditQuery): Promise<Ack<AuditRecord[]>> {
  const records: AuditRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const ack = await connection.request('audit:query', { ...query, limit: AUDIT_PAGE_MAX, ...(before === undefined ? {} : { before }) });
    if (!ack.ok) return ack;
    records.push(...ack.data.records);
    if (ack.data.nextBefore === null) return { ok: true, data: records };
    before = ack.data.nextBefore;
  }
}
