/**
 * Response validation at the boundary (Jaeger src/api/v3/schemas.ts). The shapes repeat
 * server/api/schemas.ts, so a server that drifts from server/api/types.ts fails loudly here,
 * with the path of the first wrong field, instead of deep inside a component.
 * Checks return the value unchanged (no copy: a 20,000-message group is validated in place).
 */
import type {
  ApiCallPage,
  ApiEndpoint,
  ApiGroup,
  ApiGroupSummary,
  ApiLeg,
  ApiLink,
  ApiMessage,
  ApiMessageDetail,
} from '../../../server/api/types.ts';

export class SchemaError extends Error {
  constructor(readonly path: string | null, expected: string, got: unknown) {
    super(`invalid server answer at ${path ?? '?'}: expected ${expected}, got ${got === null ? 'null' : typeof got}`);
  }
}

/**
 * A check returns its input typed, or throws. `path` is null on the fast pass (no strings built
 * for 20,000 messages × 27 fields); `validate` re-runs a failed value with paths to name the field.
 */
export type Check<T> = (v: unknown, path: string | null) => T;

/** Runs `check` fast, and again with paths when it fails, so the error names the first wrong field. */
export function validate<T>(check: Check<T>, v: unknown): T {
  try {
    return check(v, null);
  } catch (err) {
    if (err instanceof SchemaError) check(v, '$');
    throw err;
  }
}

const at = (path: string | null, key: string | number): string | null =>
  path === null ? null : typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;

const prim =
  <T>(name: string, ok: (v: unknown) => boolean): Check<T> =>
  (v, path) => {
    if (!ok(v)) throw new SchemaError(path, name, v);
    return v as T;
  };

export const str = prim<string>('string', (v) => typeof v === 'string');
export const num = prim<number>('number', (v) => typeof v === 'number' && Number.isFinite(v));
export const bool = prim<boolean>('boolean', (v) => typeof v === 'boolean');

export const nullable =
  <T>(c: Check<T>): Check<T | null> =>
  (v, path) =>
    v === null ? null : c(v, path);

export const arr =
  <T>(c: Check<T>): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw new SchemaError(path, 'array', v);
    for (let i = 0; i < v.length; i++) c(v[i], at(path, i));
    return v as T[];
  };

export const obj =
  <T>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> => {
    const keys = Object.keys(shape) as (keyof T & string)[];
    const checks = keys.map((k) => shape[k] as Check<unknown>);
    return (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'object', v);
      const rec = v as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) checks[i](rec[keys[i]], at(path, keys[i]));
      return v as T;
    };
  };

const strs = arr(str);
const nstr = nullable(str);
const nnum = nullable(num);

export const groupSummary = obj<ApiGroupSummary>({
  groupId: str, callIds: strs, correlationIds: strs, start: num, duration: num, caller: nstr, callee: nstr,
  legs: num, messages: num, method: nstr, status: nnum,
});

export const callPage = obj<ApiCallPage>({ items: arr(groupSummary), next: nstr });

const link = obj<ApiLink>({
  rule: str as Check<ApiLink['rule']>, header: nstr, value: str, target: str, targetLeg: nnum, messageId: str, text: str,
});

const leg = obj<ApiLeg>({
  index: num, callId: str, role: str as Check<ApiLeg['role']>, roleText: str, links: arr(link),
  fromUser: nstr, toUser: nstr, start: num, messages: num, status: nnum,
});

const endpoint = obj<ApiEndpoint>({ id: str, ip: str, port: num, alias: nstr });

const messageShape = {
  id: str, callId: str, leg: num, ts: num, srcIp: str, srcPort: num, dstIp: str, dstPort: num, src: str, dst: str,
  transport: str, protoType: num, method: nstr, status: nnum, reason: nstr, cseq: nstr, cseqMethod: nstr,
  label: str, hasSdp: bool, captureIds: strs, duplicateIds: strs, hepCorrelationId: nstr, retransmission: bool,
  malformed: nstr, fromUser: nstr, toUser: nstr,
};

export const message = obj<ApiMessage>(messageShape);

export const group = obj<ApiGroup>({
  id: str, callIds: strs, correlationIds: strs, legs: arr(leg), endpoints: arr(endpoint), messages: arr(message),
});

type Sdp = NonNullable<ApiMessageDetail['sdp']>;
const media = obj<Sdp['media'][number]>({ type: str, port: num, proto: str, formats: strs, direction: str, connection: nstr });

export const messageDetail = obj<ApiMessageDetail>({
  ...messageShape,
  raw: str,
  headers: arr(obj<{ name: string; value: string }>({ name: str, value: str })),
  sdp: nullable(obj<Sdp>({ connection: nstr, media: arr(media) })),
});

/**
 * What POST /api/v1/import answers. Only the fields the app uses are required to exist; the
 * route's other figures are shown as they come.
 */
export interface ImportSummary {
  [k: string]: unknown;
}
export const importSummary: Check<ImportSummary> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'object', v);
  return v as ImportSummary;
};
