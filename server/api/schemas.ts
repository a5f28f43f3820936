/**
 * JSON schemas of the responses in server/api/types.ts. Fastify serialises with them (fast for a
 * 20,000-message group) and drops anything not declared, so nothing leaks by accident.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nstr = { type: ['string', 'null'] } as const;
const nint = { type: ['integer', 'null'] } as const;
const strs = { type: 'array', items: str } as const;

function obj(properties: Record<string, unknown>) {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false } as const;
}

export const groupSummarySchema = obj({
  groupId: str, callIds: strs, correlationIds: strs, start: num, duration: num, caller: nstr, callee: nstr,
  legs: int, messages: int, method: nstr, status: nint,
});

export const callPageSchema = obj({ items: { type: 'array', items: groupSummarySchema }, next: nstr });

const linkSchema = obj({
  rule: str, header: nstr, value: str, target: str, targetLeg: nint, messageId: str, text: str,
});

const legSchema = obj({
  index: int, callId: str, role: str, roleText: str, links: { type: 'array', items: linkSchema },
  fromUser: nstr, toUser: nstr, start: num, messages: int, status: nint,
});

const endpointSchema = obj({ id: str, ip: str, port: int, alias: nstr });

const messageProps = {
  id: str, callId: str, leg: int, ts: num, srcIp: str, srcPort: int, dstIp: str, dstPort: int, src: str, dst: str,
  transport: str, protoType: int, method: nstr, status: nint, reason: nstr, cseq: nstr, cseqMethod: nstr,
  label: str, hasSdp: bool, captureIds: strs, duplicateIds: strs, hepCorrelationId: nstr, retransmission: bool,
  malformed: nstr, fromUser: nstr, toUser: nstr,
};

export const messageSchema = obj(messageProps);

export const groupSchema = obj({
  id: str, callIds: strs, correlationIds: strs, complete: bool, legs: { type: 'array', items: legSchema },
  endpoints: { type: 'array', items: endpointSchema }, messages: { type: 'array', items: messageSchema },
});

const mediaSchema = obj({
  type: str, port: int, proto: str, formats: strs, direction: str, connection: nstr,
});

export const messageDetailSchema = obj({
  ...messageProps,
  raw: str,
  truncated: bool,
  rawBytes: int,
  headers: { type: 'array', items: obj({ name: str, value: str }) },
  sdp: { anyOf: [{ type: 'null' }, obj({ connection: nstr, media: { type: 'array', items: mediaSchema } })] },
});

export const errorSchema = obj({ error: str, message: str });
