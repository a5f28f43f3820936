/**
 * Response validation at the boundary (Jaeger src/api/v3/schemas.ts), built from the server's
 * response schemas (server/api/schemas.ts), so a server that drifts from its own contract fails
 * loudly here, with the path of the first wrong field, instead of deep inside a component.
 * Checks return the value unchanged (no copy: a 20,000-message group is validated in place).
 * Ajv is not used here: it compiles with `new Function`, which the app's CSP (no 'unsafe-eval') refuses.
 */
import type { ApiGroup, ApiLeanGroup, ApiMessage } from '../../../server/api/types.ts';
import {
  type Infer, ITEM_KIND_VALUES, callPageSchema, callStatsSchema, groupSchema, importAnswerSchema, leanGroupSchema, messageDetailSchema, messageSchema,
} from '../../../server/api/schemas.ts';

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
  <T>(shape: Shape<T>): Check<T> => {
    const keys = Object.keys(shape) as (keyof T & string)[];
    const checks = keys.map((k) => shape[k] as Check<unknown>);
    return (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'object', v);
      const rec = v as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) checks[i](rec[keys[i]], at(path, keys[i]));
      return v as T;
    };
  };

/** The parts of JSON Schema that server/api/schemas.ts uses. */
interface Schema {
  type?: string | readonly string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: readonly Schema[];
  enum?: readonly string[];
}

/**
 * The check of a schema. Extra properties are let through (the server's serializer drops them
 * already), and "integer" is checked as a finite number, as the app only computes with it.
 */
export function checkOf<S>(schema: S): Check<Infer<S>> {
  return build(schema as Schema) as Check<Infer<S>>;
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** The checks of an object schema's properties, to replace one by a faster check. */
function shapeOf<S>(schema: S): Shape<Infer<S>> {
  const shape: Record<string, Check<unknown>> = {};
  for (const [k, p] of Object.entries((schema as Schema).properties ?? {})) shape[k] = build(p);
  return shape as Shape<Infer<S>>;
}

function build(s: Schema): Check<unknown> {
  if (s.anyOf) return anyOf(s.anyOf.map(build));
  const types = typeof s.type === 'string' ? [s.type] : (s.type ?? []);
  if (types.length === 1 && types[0] === 'null') return isNull;
  const checks = types.filter((t) => t !== 'null').map((t) => ofType(t, s));
  if (checks.length !== 1) throw new Error(`schema of type ${JSON.stringify(s.type)}: no check for it`);
  return types.includes('null') ? nullable(checks[0]) : checks[0];
}

function ofType(type: string, s: Schema): Check<unknown> {
  switch (type) {
    case 'string': return s.enum ? oneOf(s.enum) : str;
    case 'integer':
    case 'number': return num;
    case 'boolean': return bool;
    case 'array': return arr(build(s.items ?? {}));
    case 'object':
      if (s.properties) return obj(shapeOf(s));
      if (typeof s.additionalProperties === 'object') return record(build(s.additionalProperties));
  }
  throw new Error(`schema of type ${type}: no check for it`);
}

const isNull = prim<null>('null', (v) => v === null);

const oneOf = (values: readonly string[]): Check<string> => (v, path) => {
  if (typeof v !== 'string' || !values.includes(v)) throw new SchemaError(path, values.join(' or '), v);
  return v;
};

const record = (c: Check<unknown>): Check<Record<string, unknown>> => (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'object', v);
  for (const [k, x] of Object.entries(v)) c(x, at(path, k));
  return v as Record<string, unknown>;
};

/** The first alternative that passes; the last one's error otherwise. */
const anyOf = (cs: Check<unknown>[]): Check<unknown> => (v, path) => {
  for (let i = 0; i < cs.length - 1; i++) {
    try {
      return cs[i](v, path);
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err;
    }
  }
  return cs[cs.length - 1](v, path);
};

export const callPage = checkOf(callPageSchema);

export const callStats = checkOf(callStatsSchema);

export const message = checkOf(messageSchema);

const isStr = (v: unknown): boolean => typeof v === 'string';
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isNStr = (v: unknown): boolean => v === null || typeof v === 'string';
const isNNum = (v: unknown): boolean => v === null || isNum(v);
function isStrs(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/**
 * `message` as one function of plain property reads: the same rules, field for field (the test
 * checks every field of messageSchema). Messages parsed from one JSON text share one hidden
 * class, so these reads stay monomorphic, where the generic `obj` loop reads keys by name through
 * one megamorphic call site: on 20,000 messages ~2 ms instead of ~20 ms.
 */
function messageOk(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<keyof ApiMessage, unknown>;
  return (
    isStr(m.id) && isStr(m.callId) && isNum(m.leg) && isNum(m.ts) && isStr(m.srcIp) && isNum(m.srcPort) && isStr(m.dstIp) &&
    isNum(m.dstPort) && isStr(m.src) && isStr(m.dst) && isStr(m.transport) && isNum(m.protoType) && isNStr(m.method) &&
    isNNum(m.status) && isNStr(m.reason) && isNStr(m.cseq) && isNStr(m.cseqMethod) && isStr(m.label) &&
    typeof m.hasSdp === 'boolean' && isStrs(m.captureIds) && isStrs(m.duplicateIds) && isNStr(m.hepCorrelationId) &&
    typeof m.retransmission === 'boolean' && isNStr(m.malformed) && isNStr(m.fromUser) && isNStr(m.toUser) &&
    isKind(m.kind) && isNStr(m.text) && isNStr(m.level) && isNNum(m.latencyMs) && isStats(m.stats)
  );
}

const KINDS: readonly unknown[] = ITEM_KIND_VALUES;
const isKind = (v: unknown): boolean => KINDS.includes(v);

/** messageSchema's `stats`: null, or a report's figures. */
function isStats(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object' || Array.isArray(v)) return false;
  const s = v as Record<string, unknown>;
  return isNNum(s.ssrc) && isNum(s.jitterMs) && isNum(s.fractionLost) && isNNum(s.packetsLost) && isNNum(s.rttMs) && isNNum(s.mos);
}

const slowMessages = arr(message);

/** A group's messages: the fast check first; on a failure the generic one, which names the field. */
export const messages: Check<ApiMessage[]> = (v, path) => {
  if (path === null && Array.isArray(v)) {
    let ok = true;
    for (let i = 0; i < v.length && ok; i++) ok = messageOk(v[i]);
    if (ok) return v as ApiMessage[];
  }
  return slowMessages(v, path);
};

export const group = obj<ApiGroup>({ ...shapeOf(groupSchema), messages });

/** A group with lean messages (`?fields=lean`): a first page, a few hundred messages, checked by the generic checks. */
export const leanGroup = obj<ApiLeanGroup>(shapeOf(leanGroupSchema));

export const messageDetail = checkOf(messageDetailSchema);

/** What POST /api/v1/import answers. */
export const importAnswer = checkOf(importAnswerSchema);
