/**
 * Every call to the hepflow API: fetch, check the status, validate the JSON (schema.ts).
 * Components never call fetch; they use the hooks in queries.ts.
 */
import type { ApiCallPage, ApiCallStats, ApiGroup, ApiImport, ApiLeanGroup, ApiMessageDetail } from '../../../server/api/types.ts';
import * as S from './schema.ts';
import { LIVE_EVENT_HEADER } from '../../../server/api/schemas.ts';
import { flowIdOf, startEarly, takeEarly } from './early.ts';

const BASE = '/api/v1';

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiRequestError> {
  let code = 'http-error';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiRequestError(res.status, code, message);
}

async function getJson<T>(path: string, check: S.Check<T>, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
  return readJson(await fetch(BASE + path, { signal, headers: { accept: 'application/json', ...headers } }), check);
}

async function readJson<T>(res: Response, check: S.Check<T>): Promise<T> {
  if (!res.ok) throw await failure(res);
  return S.validate(check, await res.json());
}

function query(params: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** One page of search results (GET /calls); `liveEvent`: the live event that made a live list fetch again (LIVE_EVENT_HEADER). */
export function fetchCalls(params: Record<string, string>, cursor: string | null, limit: number, signal?: AbortSignal, liveEvent?: string): Promise<ApiCallPage> {
  return getJson(`/calls${query({ ...params, limit: String(limit), cursor: cursor ?? undefined })}`, S.callPage, signal,
    liveEvent ? { [LIVE_EVENT_HEADER]: liveEvent } : {});
}

/** Call statistics of a range (GET /stats). */
export function fetchStats(params: Record<string, string>, signal?: AbortSignal): Promise<ApiCallStats> {
  return getJson(`/stats${query(params)}`, S.callStats, signal);
}

/**
 * Stored messages in a group's first answer: a few screens of rows even with half the legs
 * hidden (a 4K screen shows ~80), yet a 20,000-message group answers in a few ms instead of
 * the ~0.5 s of the whole (bench/ui). Smaller groups come whole in this one answer.
 */
export const FIRST_PAGE = 500;

/**
 * The first FIRST_PAGE stored messages of a group, by any Call-ID or correlation id of it
 * (`complete` says if that is all), with lean messages: the fields the ladder is drawn with, so
 * that the first screen costs the server, the wire and the parser less.
 */
export async function fetchGroupStart(id: string, signal?: AbortSignal): Promise<ApiLeanGroup> {
  const started = takeEarly(id);
  if (started) return readJson(await started, S.leanGroup);
  return getJson(groupStartPath(id), S.leanGroup, signal);
}

/** A whole correlation group. */
export function fetchGroup(id: string, signal?: AbortSignal): Promise<ApiGroup> {
  return getJson(groupPath(id), S.group, signal);
}

const groupPath = (id: string) => `/groups/${encodeURIComponent(id)}`;
const groupStartPath = (id: string) => `${groupPath(id)}?limit=${FIRST_PAGE}&fields=lean`;

/** Starts loading the group of a flow address during boot (early.ts); no-op for other pages. */
export function prefetchFlow(pathname: string): void {
  const id = flowIdOf(pathname);
  if (id !== null) startEarly(id, BASE + groupStartPath(id));
}

export function fetchMessage(id: string, signal?: AbortSignal): Promise<ApiMessageDetail> {
  return getJson(`/messages/${encodeURIComponent(id)}`, S.messageDetail, signal);
}

/** The whole raw text of a message as a download (the detail answer carries at most its start). */
export function rawMessageUrl(id: string): string {
  return `${BASE}/messages/${encodeURIComponent(id)}/raw`;
}

/** Uploads a capture file as the request body (streamed by the browser). */
export async function uploadCapture(file: File): Promise<ApiImport> {
  const res = await fetch(`${BASE}/import${query({ name: file.name })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
    body: file,
  });
  if (!res.ok) throw await failure(res);
  return S.validate(S.importAnswer, await res.json());
}

/**
 * Above this many ids the pcap link asks for the whole group and says so: a GET URL past ~64 KB
 * is refused by proxies and by the server's header limit.
 */
export const MAX_PCAP_IDS = 2000;

/** The pcap download URL for a group, restricted to `ids` when given. */
export function pcapUrl(groupId: string, ids: readonly string[] | null): string {
  const restrict = ids !== null && ids.length <= MAX_PCAP_IDS ? { ids: ids.join(',') } : {};
  return `${BASE}/groups/${encodeURIComponent(groupId)}/pcap${query(restrict)}`;
}
