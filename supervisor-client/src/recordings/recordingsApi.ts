import {
  RecordingDeleteResponseSchema,
  RecordingsListQuerySchema,
  RecordingsListResponseSchema,
  RecordingTicketResponseSchema,
  type Ack,
  type RecordingsListQuery,
  type RecordingsListResponse,
  type RecordingTicketResponse,
} from '@earshot/shared';
import type { z } from 'zod';
import { describeIssues } from '../live/connection';
import { readAck } from '../live/httpAck';

export type RecordingsPage = RecordingsListResponse;

/** Recordings over HTTP (server/src/http/recordings.ts), each answer checked against the wire. */
export interface RecordingsApi {
  /** `GET /api/recordings`: newest first, within the caller's scope. */
  list(query: RecordingsListQuery): Promise<Ack<RecordingsPage>>;
  /** `POST /api/recordings/:id/ticket`: the URLs an `<audio>` element and a download link open. */
  ticket(recordingId: number): Promise<Ack<RecordingTicketResponse>>;
  /** `DELETE /api/recordings/:id`. */
  remove(recordingId: number): Promise<Ack<{ recordingId: number }>>;
}

/** The recordings API with the login's token; `fetch` is injectable for tests. */
export class HttpRecordingsApi implements RecordingsApi {
  constructor(
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  list(query: RecordingsListQuery): Promise<Ack<RecordingsPage>> {
    const checked = RecordingsListQuerySchema.safeParse(query);
    if (!checked.success) return Promise.resolve({ ok: false, error: { code: 'INVALID', message: describeIssues(checked.error) } });
    const params = new URLSearchParams(
      Object.entries(checked.data)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const search = params.toString() ? `?${params}` : '';
    return this.send('GET', `/api/recordings${search}`, RecordingsListResponseSchema);
  }

  ticket(recordingId: number): Promise<Ack<RecordingTicketResponse>> {
    return this.send('POST', `/api/recordings/${recordingId}/ticket`, RecordingTicketResponseSchema);
  }

  remove(recordingId: number): Promise<Ack<{ recordingId: number }>> {
    return this.send('DELETE', `/api/recordings/${recordingId}`, RecordingDeleteResponseSchema);
  }

  private async send<T extends z.ZodType>(method: string, path: string, data: T): Promise<Ack<z.output<T>>> {
    let res: Response;
    try {
      // No body, so no content type: the server would refuse an empty JSON body.
      res = await this.fetchImpl(path, { method, headers: { authorization: `Bearer ${this.token}` } });
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'The server cannot be reached' } };
    }
    return readAck(res, data);
  }
}
