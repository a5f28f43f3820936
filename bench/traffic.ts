/**
 * Benchmark traffic: basic calls (INVITE, 100, 180, 200, ACK, BYE, 200) through one proxy, each
 * message as the HEPv3 packet OpenSIPS would send (0x0011 = Call-ID). Deterministic per index.
 */
import { encodeHep3 } from '../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../server/hep/chunks.ts';

export const MESSAGES_PER_CALL = 7;

function sdp(ip: string): string {
  return `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n`;
}

/**
 * The Call-ID of dialog `n` at `host`: 16 hex digits that look random, as OpenSIPS, Kamailio and
 * phones make them. Not `prefix-n`: consecutive numbers sort next to one another, which spares a
 * store keyed by Call-ID the random writes real traffic costs it (sqlite-schema.ts, migration 8).
 */
export function callIdOf(n: number, host: string): string {
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${hex(Math.imul(n + 1, 0x9e3779b1))}${hex(Math.imul(n ^ 0x5bd1e995, 0x85ebca6b))}@${host}`;
}

/** The Call-ID of call `n` of benchPacket's stream. */
export const benchCallId = (n: number): string => callIdOf(n, `10.1.${(n >> 8) & 255}.${n & 255}`);

/** The SIP text of message `k` (0..6) of call `n`. */
export function callMessage(n: number, k: number): { text: string; fromCaller: boolean } {
  const callId = benchCallId(n);
  const caller = `1${String(n % 1_000_000).padStart(6, '0')}`;
  const callee = `2${String((n * 7) % 1_000_000).padStart(6, '0')}`;
  const via = `Via: SIP/2.0/UDP 10.1.0.10:5060;branch=z9hG4bK${n.toString(36)}x${k < 5 ? 1 : 2};rport`;
  const from = `From: "${caller}" <sip:${caller}@pbx.example.com>;tag=f${n.toString(36)}`;
  const toNoTag = `To: <sip:${callee}@carrier.example.net>`;
  const to = `${toNoTag};tag=t${n.toString(36)}`;
  const common = (cseq: string, toH: string) => [via, 'Max-Forwards: 69', from, toH, `Call-ID: ${callId}`, `CSeq: ${cseq}`];
  const body = sdp('10.1.0.10');
  const lines: Record<number, string[]> = {
    0: [`INVITE sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('1 INVITE', toNoTag), 'Record-Route: <sip:10.0.0.5;lr>',
      `Contact: <sip:${caller}@10.1.0.10:5060>`, 'User-Agent: bench-ua/1.0', 'Content-Type: application/sdp', `Content-Length: ${body.length}`, '', body],
    1: ['SIP/2.0 100 Trying', ...common('1 INVITE', toNoTag), 'Content-Length: 0', '', ''],
    2: ['SIP/2.0 180 Ringing', ...common('1 INVITE', to), `Contact: <sip:${callee}@10.2.0.20:5060>`, 'Content-Length: 0', '', ''],
    3: ['SIP/2.0 200 OK', ...common('1 INVITE', to), `Contact: <sip:${callee}@10.2.0.20:5060>`, 'Content-Type: application/sdp', `Content-Length: ${body.length}`, '', body],
    4: [`ACK sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('1 ACK', to), 'Content-Length: 0', '', ''],
    5: [`BYE sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('2 BYE', to), 'Content-Length: 0', '', ''],
    6: ['SIP/2.0 200 OK', ...common('2 BYE', to), 'Content-Length: 0', '', ''],
  };
  return { text: lines[k].join('\r\n'), fromCaller: [0, 4, 5].includes(k) };
}

/** HEP packet number `i` of the stream: call i/7, message i%7, at time base + i µs*100. */
export function benchPacket(i: number, baseMicros: number): Buffer {
  const n = Math.floor(i / MESSAGES_PER_CALL);
  const { text, fromCaller } = callMessage(n, i % MESSAGES_PER_CALL);
  const ts = baseMicros + i * 100;
  const a = { ip: '10.1.0.10', port: 5060 };
  const b = { ip: '10.2.0.20', port: 5060 };
  const [src, dst] = fromCaller ? [a, b] : [b, a];
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: src.ip, dstIp: dst.ip, srcPort: src.port, dstPort: dst.port,
    tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 101,
    correlationId: /Call-ID: (.*)\r\n/.exec(text)![1], payload: text,
  });
}

/**
 * The shapes of traffic the ingest benchmark runs, each a stream of HEPv3 packets in the order a
 * proxy would send them: dialogs overlap (`overlap` of them in progress at once), as on a real
 * server, rather than following one another.
 */
interface Sip {
  text: string;
  fromCaller: boolean;
  /** A non-SIP item (RTCP) and the Call-ID its correlation chunk names; SIP when absent. */
  item?: { protoType: number; callId: string };
}
interface Mix {
  /** What the mix stands for, printed with its figures. */
  about: string;
  /** The messages of dialog `n`, in order. */
  dialog(n: number): Sip[];
  overlap: number;
  /** OpenSIPS's trace() sends the Call-ID as chunk 0x0011; Kamailio's siptrace (trace_mode 1) does not. */
  correlationChunk: boolean;
}

/** One request/response of dialog `n`: the lines, given the headers every message of it shares. */
function message(first: string, headers: string[], extra: string[] = [], body = ''): string {
  const tail = body ? ['Content-Type: application/sdp', `Content-Length: ${body.length}`, '', body] : ['Content-Length: 0', '', ''];
  return [first, ...headers, ...extra, ...tail].join('\r\n');
}

interface Party { user: string; host: string }
/** A dialog between `a` and `b`: the headers of request/response `cseq`, from the caller or the callee. */
function dialogHeaders(n: number, callId: string, a: Party, b: Party, tagged: boolean) {
  return (cseq: string, branch: string) => [
    `Via: SIP/2.0/UDP ${a.host}:5060;branch=z9hG4bK${n.toString(36)}${branch};rport`, 'Max-Forwards: 70',
    `From: <sip:${a.user}@${a.host}>;tag=f${n.toString(36)}`, `To: <sip:${b.user}@${b.host}>${tagged ? `;tag=t${n.toString(36)}` : ''}`,
    `Call-ID: ${callId}`, `CSeq: ${cseq}`,
  ];
}

/** A basic call: INVITE, 100, 180, 200, ACK, BYE, 200; SDP on INVITE and 200 when `withSdp`. */
function basicCall(n: number, a: Party, b: Party, withSdp: boolean, callId = callIdOf(n, a.host)): Sip[] {
  const early = dialogHeaders(n, callId, a, b, false);
  const h = dialogHeaders(n, callId, a, b, true);
  const offer = withSdp ? sdp(a.host) : '';
  const answer = withSdp ? sdp(b.host) : '';
  const contact = (p: Party) => `Contact: <sip:${p.user}@${p.host}:5060>`;
  return [
    { text: message(`INVITE sip:${b.user}@${b.host} SIP/2.0`, early('1 INVITE', '1'), [contact(a), 'User-Agent: bench-ua/1.0'], offer), fromCaller: true },
    { text: message('SIP/2.0 100 Trying', early('1 INVITE', '1')), fromCaller: false },
    { text: message('SIP/2.0 180 Ringing', h('1 INVITE', '1'), [contact(b)]), fromCaller: false },
    { text: message('SIP/2.0 200 OK', h('1 INVITE', '1'), [contact(b)], answer), fromCaller: false },
    { text: message(`ACK sip:${b.user}@${b.host} SIP/2.0`, h('1 ACK', '2')), fromCaller: true },
    { text: message(`BYE sip:${b.user}@${b.host} SIP/2.0`, h('2 BYE', '3')), fromCaller: true },
    { text: message('SIP/2.0 200 OK', h('2 BYE', '3')), fromCaller: false },
  ];
}

const party = (user: string, host: string): Party => ({ user, host });

/**
 * RTCP report `k` of call `n` as rtpengine's --homer sends it (HEP type 5, JSON, the Call-ID in
 * 0x0011): an RR from the callee's side, then the caller's, with growing counters.
 */
function rtcpReport(n: number, k: number, callId: string): Sip {
  const [ssrc, source] = k % 2 ? [0x1000 + n, 0x2000 + n] : [0x2000 + n, 0x1000 + n];
  const text = `{ "ssrc":${ssrc},"type":201,"report_count":1,"report_blocks":[{"source_ssrc":${source},"highest_seq_no":${250 * (k + 1)},`
    + `"fraction_lost":${(n + k) % 7},"ia_jitter":${40 + ((n * 13 + k) % 90)},"packets_lost":${k},"lsr":0,"dlsr":0}],"sdes_report_count":1,`
    + `"sdes_information": [ {"sdes_chunk_ssrc":${ssrc},"type":1,"text":"rtpengine@10.0.0.5"}] }`;
  return { text, fromCaller: k % 2 === 1, item: { protoType: PROTO_TYPE.rtcp, callId } };
}

export const MIXES: Record<string, Mix> = {
  'calls-sdp': {
    about: '7-message calls with SDP and a correlation chunk, every call its own users',
    overlap: 100, correlationChunk: true,
    dialog: (n) => basicCall(n, party(`1${n % 1_000_000}`, '10.1.0.10'), party(`2${(n * 7) % 1_000_000}`, '10.2.0.20'), true),
  },
  'calls-nosdp': {
    about: '7-message calls without SDP or correlation chunk, the same two users and addresses in every call',
    overlap: 100, correlationChunk: false,
    dialog: (n) => basicCall(n, party('1000', '10.1.0.10'), party('2000', '10.2.0.20'), false),
  },
  'register-options': {
    about: '70 % REGISTER (refreshes keep their Call-ID, some challenged) and OPTIONS keep-alives with replies, 30 % calls',
    overlap: 50, correlationChunk: false,
    // Per 7-message call, 16 others: 4 OPTIONS pings, 2 REGISTER refreshes, 1 challenged REGISTER.
    dialog: (n) => {
      const call = basicCall(n, party(`1${n % 5000}`, '10.1.0.10'), party(`2${(n * 7) % 5000}`, '10.2.0.20'), true);
      const out: Sip[] = [...call];
      for (let k = 0; k < 4; k++) {
        const id = callIdOf(n * 4 + k, '10.0.0.5');
        const h = dialogHeaders(n * 4 + k, id, party('ping', '10.0.0.5'), party('gw', `10.3.${k}.${n & 255}`), false);
        out.push({ text: message(`OPTIONS sip:gw@10.3.${k}.${n & 255} SIP/2.0`, h('1 OPTIONS', 'o')), fromCaller: true });
        out.push({ text: message('SIP/2.0 200 OK', h('1 OPTIONS', 'o')), fromCaller: false });
      }
      for (let k = 0; k < 3; k++) {
        // 20,000 phones, each refreshing with its own Call-ID and a growing CSeq: long REGISTER groups.
        const phone = (n * 3 + k) % 20_000;
        const cseq = Math.floor((n * 3 + k) / 20_000) * 2 + 1;
        const h = dialogHeaders(phone, callIdOf(phone, `10.4.0.${phone & 255}`), party(`3${phone}`, `10.4.0.${phone & 255}`), party(`3${phone}`, 'registrar.example.com'), false);
        const reg = (c: number, extra: string[] = []) => message(`REGISTER sip:registrar.example.com SIP/2.0`, h(`${c} REGISTER`, `r${c}`),
          [`Contact: <sip:3${phone}@10.4.0.${phone & 255}:5060>;expires=3600`, 'Expires: 3600', ...extra]);
        if (k === 2) {
          out.push({ text: reg(cseq), fromCaller: true });
          out.push({ text: message('SIP/2.0 401 Unauthorized', h(`${cseq} REGISTER`, `r${cseq}`), ['WWW-Authenticate: Digest realm="example.com", nonce="6a1f2b"']), fromCaller: false });
          out.push({ text: reg(cseq + 1, [`Authorization: Digest username="3${phone}", realm="example.com", nonce="6a1f2b", uri="sip:registrar.example.com", response="0f1e2d3c"`]), fromCaller: true });
          out.push({ text: message('SIP/2.0 200 OK', h(`${cseq + 1} REGISTER`, `r${cseq + 1}`)), fromCaller: false });
        } else {
          out.push({ text: reg(cseq), fromCaller: true });
          out.push({ text: message('SIP/2.0 200 OK', h(`${cseq} REGISTER`, `r${cseq}`)), fromCaller: false });
        }
      }
      return out;
    },
  },
  'calls-rtcp': {
    about: '7-message calls with SDP and 3 RTCP reports each (rtpengine JSON over HEP type 5): 30 % RTCP',
    overlap: 100, correlationChunk: false,
    dialog: (n) => {
      const callId = callIdOf(n, '10.1.0.10');
      const call = basicCall(n, party(`1${n % 1_000_000}`, '10.1.0.10'), party(`2${(n * 7) % 1_000_000}`, '10.2.0.20'), true, callId);
      return [...call.slice(0, 5), ...[0, 1, 2].map((k) => rtcpReport(n, k, callId)), ...call.slice(5)];
    },
  },
  'long-dialogs': {
    about: 'long calls: 4 re-INVITEs with SDP, 8 INFO (DTMF), 3 in-dialog OPTIONS between set-up and BYE (43 messages)',
    overlap: 200, correlationChunk: true,
    dialog: (n) => {
      const a = party(`1${n % 1_000_000}`, '10.1.0.10');
      const b = party(`2${(n * 7) % 1_000_000}`, '10.2.0.20');
      const call = basicCall(n, a, b, true);
      const h = dialogHeaders(n, callIdOf(n, a.host), a, b, true);
      const mid: Sip[] = [];
      let cseq = 2;
      const both = (method: string, extra: string[] = [], body = '', ack = false) => {
        mid.push({ text: message(`${method} sip:${b.user}@${b.host} SIP/2.0`, h(`${cseq} ${method}`, `m${cseq}`), extra, body), fromCaller: true });
        mid.push({ text: message('SIP/2.0 200 OK', h(`${cseq} ${method}`, `m${cseq}`), [], method === 'INVITE' ? sdp(b.host) : ''), fromCaller: false });
        if (ack) mid.push({ text: message(`ACK sip:${b.user}@${b.host} SIP/2.0`, h(`${cseq} ACK`, `a${cseq}`)), fromCaller: true });
        cseq++;
      };
      for (let r = 0; r < 4; r++) {
        both('INVITE', [`Contact: <sip:${a.user}@${a.host}:5060>`], sdp(a.host), true);
        for (let d = 0; d < 2; d++) both('INFO');
        if (r < 3) both('OPTIONS');
      }
      const bye = call.slice(5).map((m) => ({ ...m, text: m.text.replace(/CSeq: 2 BYE/, `CSeq: ${cseq} BYE`) }));
      return [...call.slice(0, 5), ...mid, ...bye];
    },
  },
};

/**
 * `count` packets of `mix`, 10 µs apart from `baseMicros`: `overlap` dialogs at a time, their
 * messages taken round robin, so that each dialog's messages keep their order.
 */
export function mixPackets(mixName: string, count: number, baseMicros: number): Buffer[] {
  const mix = MIXES[mixName];
  if (!mix) throw new Error(`unknown mix "${mixName}" (known: ${Object.keys(MIXES).join(', ')})`);
  const out: Buffer[] = [];
  const a = { ip: '10.1.0.10', port: 5060 };
  const b = { ip: '10.2.0.20', port: 5060 };
  for (let first = 0; out.length < count; first += mix.overlap) {
    const dialogs = Array.from({ length: mix.overlap }, (_, k) => mix.dialog(first + k));
    const longest = Math.max(...dialogs.map((d) => d.length));
    for (let step = 0; step < longest && out.length < count; step++) {
      for (const d of dialogs) {
        if (step >= d.length || out.length >= count) continue;
        const { text, fromCaller, item } = d[step];
        const ts = baseMicros + out.length * 10;
        const [src, dst] = fromCaller ? [a, b] : [b, a];
        out.push(encodeHep3({
          ipProtocol: IP_PROTOCOL.udp, srcIp: src.ip, dstIp: dst.ip, srcPort: src.port, dstPort: dst.port,
          tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: item?.protoType ?? PROTO_TYPE.sip, captureId: 101,
          correlationId: item?.callId ?? (mix.correlationChunk ? /Call-ID: (.*)\r\n/.exec(text)![1] : undefined), payload: text,
        }));
      }
    }
  }
  return out;
}
