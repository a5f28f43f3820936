/**
 * The window step: each message fed in receive order, links found from what came before.
 *
 *   t=0    INVITE alice → bob      (A, via the PBX)
 *   t=1s   INVITE alice → bob      (B, PBX → Bob's phone)
 *   t=20s  INVITE alice → mobile   (C) History-Info: bob;index=1, mobile;index=1.1
 */
import { describe, expect, it } from 'vitest';
import { contactKey, FORWARD_WINDOW_MICROS, matchForward, REDIRECT_WINDOW_MICROS, TimedIndex, WindowMatcher, type WindowMessage } from './window.ts';
import type { LinkInput } from './types.ts';

const S = 1_000_000;

interface Make {
  ts?: number; callId: string; method?: string | null; status?: number | null; from?: string; to?: string; ruri?: string;
  toTag?: string | null; extra?: string[]; links?: LinkInput[];
}

/** A request (or, with `status`, a response to INVITE) as the collector would hand it over. */
function make(o: Make): WindowMessage {
  const method = o.status != null ? null : (o.method ?? 'INVITE');
  const to = o.to ?? 'bob';
  const ruri = o.ruri ?? `sip:${to}@example.com`;
  const start = method ? `${method} ${ruri} SIP/2.0` : `SIP/2.0 ${o.status} X`;
  const raw = [start, 'Via: SIP/2.0/UDP 10.0.0.8;branch=z9hG4bK1', `From: <sip:${o.from ?? 'alice'}@example.com>;tag=f1`,
    `To: <sip:${to}@example.com>${o.toTag ? `;tag=${o.toTag}` : ''}`, `Call-ID: ${o.callId}`, `CSeq: 1 ${method ?? 'INVITE'}`, ...(o.extra ?? []), '', ''].join('\r\n');
  const user = /^sips?:([^@;>]+)@/.exec(ruri)?.[1] ?? null;
  return {
    ts: o.ts ?? 0, callId: o.callId, method, status: o.status ?? null, cseqMethod: method ?? 'INVITE', fromUser: o.from ?? 'alice', toUser: to,
    toTag: o.toTag ?? null, ruriUser: method ? user : null, raw, links: o.links ?? [],
  };
}
const HI = 'History-Info: <sip:bob@example.com>;index=1, <sip:mobile@carrier.example.net>;index=1.1';
const rules = (w: WindowMatcher, m: WindowMessage) => w.step(m).links.map((l) => `${l.rule}:${l.target}`);

describe('WindowMatcher: forwards', () => {
  it('links a forwarded INVITE to every recent INVITE from the same caller to the target its History-Info names', () => {
    const w = new WindowMatcher();
    expect(rules(w, make({ ts: 0, callId: 'A' }))).toEqual([]);
    expect(rules(w, make({ ts: 1 * S, callId: 'B' }))).toEqual([]);
    const c = w.step(make({ ts: 20 * S, callId: 'C', to: 'mobile', extra: [HI] }));
    expect(c.links).toEqual([
      { target: 'B', rule: 'history-info', header: 'History-Info', value: '<sip:bob@example.com>;index=1' },
      { target: 'A', rule: 'history-info', header: 'History-Info', value: '<sip:bob@example.com>;index=1' },
    ]);
    expect(c.blind).toBeNull();
  });

  it('links through Diversion the same way', () => {
    const w = new WindowMatcher();
    w.step(make({ ts: 0, callId: 'A' }));
    expect(rules(w, make({ ts: 2 * S, callId: 'C', to: 'mobile', extra: ['Diversion: <sip:bob@example.com>;reason=unconditional;counter=1'] }))).toEqual(['diversion:A']);
  });

  it('does not link another caller, an INVITE older than the window, its own Call-ID, or the entry naming its own target', () => {
    const w = new WindowMatcher();
    w.step(make({ ts: 0, callId: 'old' }));
    w.step(make({ ts: 30 * S, callId: 'carol-call', from: 'carol' }));
    w.step(make({ ts: 30 * S, callId: 'C', to: 'bob' }));
    expect(rules(w, make({ ts: FORWARD_WINDOW_MICROS + 1, callId: 'C', to: 'mobile', extra: [HI] }))).toEqual([]);
    // Names only its own target: a retarget inside one proxy, nothing to link.
    expect(rules(w, make({ ts: 31 * S, callId: 'D', to: 'bob', extra: ['History-Info: <sip:bob@example.com>;index=1'] }))).toEqual([]);
  });

  it('ignores in-dialog INVITEs (To tag) as candidates and as originals', () => {
    const w = new WindowMatcher();
    w.step(make({ ts: 0, callId: 'A', toTag: 'x' }));
    expect(rules(w, make({ ts: 1 * S, callId: 'C', to: 'mobile', extra: [HI] }))).toEqual([]);
  });
});

describe('WindowMatcher: redirects', () => {
  const moved = (ts: number, contact = '<sip:bob@198.51.100.99:5060>') => make({ ts, callId: 'R', status: 302, toTag: 't', extra: [`Contact: ${contact}`] });

  it('links an INVITE to the Contact of a recent 3xx to the same caller, whatever the port', () => {
    const w = new WindowMatcher();
    w.step(moved(0));
    expect(rules(w, make({ ts: 1 * S, callId: 'N', ruri: 'sip:bob@198.51.100.99' }))).toEqual(['redirect:R']);
  });

  it('does not link another host, another caller, or after the window', () => {
    const w = new WindowMatcher();
    w.step(moved(0));
    expect(rules(w, make({ ts: 1 * S, callId: 'N1', ruri: 'sip:bob@198.51.100.98' }))).toEqual([]);
    expect(rules(w, make({ ts: 1 * S, callId: 'N2', ruri: 'sip:bob@198.51.100.99', from: 'carol' }))).toEqual([]);
    expect(rules(w, make({ ts: REDIRECT_WINDOW_MICROS + 1, callId: 'N3', ruri: 'sip:bob@198.51.100.99' }))).toEqual([]);
  });

  it('matches any of several Contacts of one 3xx', () => {
    const w = new WindowMatcher();
    w.step(moved(0, '<sip:bob@a.example>;q=0.5, <sip:bob-2@B.example>;q=0.9'));
    expect(rules(w, make({ ts: 1 * S, callId: 'N', ruri: 'sip:bob-2@b.example' }))).toEqual(['redirect:R']);
  });
});

describe('WindowMatcher: blind transfers', () => {
  const refer = make({ ts: 0, callId: 'L1', method: 'REFER', from: 'bob', to: 'alice', toTag: 't', extra: ['Refer-To: <sip:carol@example.com>'] });

  it('links the transferee\'s new call to the target, and offers an unmatched INVITE to the store lookup', () => {
    const w = new WindowMatcher();
    w.step(refer);
    expect(rules(w, make({ ts: 2 * S, callId: 'L2', from: 'alice', to: 'carol' }))).toEqual(['blind-transfer:L1']);
    const other = w.step(make({ ts: 3 * S, callId: 'L3', from: 'dave', to: 'carol' }));
    expect(other.links).toEqual([]);
    expect(other.blind).toMatchObject({ callId: 'L3', fromUser: 'dave', toUser: 'carol' });
  });

  it('still matches an INVITE that only carries shared-value links (Session-ID), but not one already linked to a call', () => {
    const w = new WindowMatcher();
    w.step(refer);
    const sid: LinkInput = { target: 'ab'.repeat(16), rule: 'session-id', header: 'Session-ID', value: 'x' };
    expect(rules(w, make({ ts: 2 * S, callId: 'L2', to: 'carol', links: [sid] }))).toEqual(['blind-transfer:L1']);
    const xcid: LinkInput = { target: 'L0', rule: 'header', header: 'X-CID', value: 'L0' };
    expect(w.step(make({ ts: 2 * S, callId: 'L3', to: 'carol', links: [xcid] }))).toEqual({ links: [], blind: null });
  });
});

describe('matchForward', () => {
  const entry = (user: string) => ({ header: 'Diversion' as const, uri: { uri: '', scheme: 'sip', user, host: 'h', port: null, params: {}, headers: {} }, index: null, value: user });

  it('gives one match per Call-ID, the latest first, at most four', () => {
    const recs = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ ts: i * S, callId: id, fromUser: 'alice' }));
    const got = matchForward({ ts: 10 * S, callId: 'n', fromUser: 'alice', ruriUser: 'm', toUser: 'm' }, [entry('bob'), entry('bob')], () => [...recs, recs[0]], 40 * S);
    expect(got.map((g) => g.record.callId)).toEqual(['e', 'd', 'c', 'b']);
  });
});

describe('contactKey', () => {
  it('is user@host with the host in lower case, and null without a host', () => {
    expect(contactKey({ user: 'Bob', host: 'EXAMPLE.com' })).toBe('Bob@example.com');
    expect(contactKey({ user: null, host: '10.0.0.1' })).toBe('@10.0.0.1');
    expect(contactKey({ user: 'x', host: null })).toBeNull();
    expect(contactKey(null)).toBeNull();
  });
});

describe('TimedIndex', () => {
  it('forgets records older than the bound and beyond its size, oldest first', () => {
    const ix = new TimedIndex<{ ts: number; id: string }>(3);
    for (let i = 0; i < 5; i++) ix.add(i % 2 ? 'odd' : 'even', { ts: i, id: String(i) });
    expect(ix.size).toBe(3);
    expect(ix.get('even').map((r) => r.id)).toEqual(['2', '4']);
    ix.expire(4);
    expect(ix.get('odd')).toEqual([]);
    expect(ix.last('even')?.id).toBe('4');
    expect(ix.size).toBe(1);
  });

  it('stays bounded over many records', () => {
    const ix = new TimedIndex<{ ts: number }>(100);
    for (let i = 0; i < 50_000; i++) ix.add(`k${i % 7}`, { ts: i });
    ix.expire(49_990);
    expect(ix.size).toBe(10);
  });

  it('gives a key only its records still held, in order, however many were forgotten', () => {
    const ix = new TimedIndex<{ ts: number }>(3000);
    for (let i = 0; i < 3010; i++) ix.add('pilot', { ts: i }); // 10 forgotten: few, and left in place until asked
    expect(ix.get('pilot').map((r) => r.ts).slice(0, 2)).toEqual([10, 11]);
    expect(ix.get('pilot')).toHaveLength(3000);
    for (let i = 3010; i < 10_000; i++) ix.add('pilot', { ts: i });
    ix.expire(9_000);
    expect(ix.last('pilot')?.ts).toBe(9_999);
    expect(ix.get('pilot').map((r) => r.ts)).toEqual(Array.from({ length: 1000 }, (_, k) => 9_000 + k));
    ix.expire(10_000);
    expect(ix.get('pilot')).toEqual([]);
    expect(ix.size).toBe(0);
  });
});
