import { describe, expect, it } from 'vitest';
import type { ApiGroup, ApiMessage } from '../../../server/api/types.ts';
import { toFlowModel } from '../model/normalize.ts';
import { DEFAULT_FLOW_STATE } from '../state/url-state.ts';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { useFlowViewModel } from './useFlowViewModel.ts';
import { buildFlowView, type FlowView } from './view-model.ts';

let seq = 0;
function makeMessage(over: Partial<ApiMessage>): ApiMessage {
  seq++;
  const [srcIp, srcPort] = (over.src ?? '10.0.0.1:5060').split(':');
  const [dstIp, dstPort] = (over.dst ?? '10.0.0.2:5060').split(':');
  return {
    id: `m${seq}`, callId: 'leg-a', leg: 0, ts: seq * 1000, srcIp, srcPort: Number(srcPort), dstIp, dstPort: Number(dstPort),
    src: `${srcIp}:${srcPort}`, dst: `${dstIp}:${dstPort}`, transport: 'udp', protoType: 1, method: 'INVITE', status: null,
    reason: null, cseq: '1 INVITE', cseqMethod: 'INVITE', label: 'INVITE', hasSdp: false, captureIds: ['1'], duplicateIds: [],
    hepCorrelationId: null, retransmission: false, malformed: null, fromUser: 'alice', toUser: 'bob',
    kind: 'sip', text: null, level: null, latencyMs: null, stats: null, ...over,
  };
}

//  A 10.0.0.1:5060 --leg-a--> SBC 10.0.0.2:5060 ; SBC 10.0.0.2:5080 --leg-b--> B 10.0.0.3:5060
const group: ApiGroup = {
  id: 'leg-a',
  callIds: ['leg-a', 'leg-b'],
  correlationIds: [],
  complete: true,
  legs: [
    { index: 0, callId: 'leg-a', role: 'b2b-inbound', roleText: 'Inbound', links: [], fromUser: 'alice', toUser: 'bob', start: 1000, messages: 2, status: 200, kpi: { disposition: 'answered', pddMs: null, setupMs: null, durationMs: null, finalStatus: 200, problems: [] } },
    { index: 1, callId: 'leg-b', role: 'b2b-outbound', roleText: 'Outbound', links: [], fromUser: 'alice', toUser: 'bob', start: 2000, messages: 2, status: 200, kpi: { disposition: 'answered', pddMs: null, setupMs: null, durationMs: null, finalStatus: 200, problems: [] } },
  ],
  endpoints: [
    { id: '10.0.0.1:5060', ip: '10.0.0.1', port: 5060, alias: null },
    { id: '10.0.0.2:5060', ip: '10.0.0.2', port: 5060, alias: 'SBC' },
    { id: '10.0.0.2:5080', ip: '10.0.0.2', port: 5080, alias: 'SBC' },
    { id: '10.0.0.3:5060', ip: '10.0.0.3', port: 5060, alias: null },
  ],
  messages: [
    makeMessage({}),
    makeMessage({ callId: 'leg-b', leg: 1, src: '10.0.0.2:5080', dst: '10.0.0.3:5060' }),
    makeMessage({ callId: 'leg-b', leg: 1, src: '10.0.0.3:5060', dst: '10.0.0.2:5080', method: null, status: 200, label: '200 OK' }),
    makeMessage({ src: '10.0.0.2:5060', dst: '10.0.0.1:5060', method: null, status: 200, label: '200 OK' }),
  ],
  media: [],
  scenario: 'b2b',
};
const model = toFlowModel(group);

describe('buildFlowView', () => {
  it('defaults the pivot to the receiver of the first INVITE and splits the B2B there', () => {
    const v = buildFlowView(model, DEFAULT_FLOW_STATE);
    expect(v.pivotEndpoint).toBe('10.0.0.2:5060');
    // In ip:port columns the SBC is two columns, so the outbound leg starts at another column:
    // it does not touch the pivot and is placed through the reachability fallback as 'other'.
    expect(v.visibleKeys).toEqual(['10.0.0.1:5060', '10.0.0.2:5060', '10.0.0.2:5080', '10.0.0.3:5060']);
    expect(v.sides.slice(0, 1)).toEqual(['caller']);
  });

  it('makes the SBC one column when grouped by alias, so the outbound leg is the callee side', () => {
    const v = buildFlowView(model, { ...DEFAULT_FLOW_STATE, grouping: 'alias' });
    expect(v.visibleKeys).toEqual(['10.0.0.1', 'SBC', '10.0.0.3']);
    expect(v.pivotKey).toBe('SBC');
    expect(v.sides).toEqual(['caller', 'callee', 'callee', 'caller']);
  });

  it('applies side, hidden legs, hidden columns and column order from the URL', () => {
    const url = { ...DEFAULT_FLOW_STATE, grouping: 'ip' as const, side: 'callee' as const, columnOrder: ['10.0.0.3', '10.0.0.2'] };
    const v = buildFlowView(model, url);
    expect(v.visibleKeys).toEqual(['10.0.0.3', '10.0.0.2', '10.0.0.1']);
    expect(v.layout.rows.map((r) => r.message)).toEqual([1, 2]);
    const hidden = buildFlowView(model, { ...url, side: 'both', hiddenLegs: ['leg-b'], hiddenColumns: [] });
    expect(hidden.layout.rows.map((r) => r.message)).toEqual([0, 3]);
  });

  it('falls back to the default pivot when the URL names an unknown endpoint', () => {
    expect(buildFlowView(model, { ...DEFAULT_FLOW_STATE, pivot: '192.0.2.9:5060' }).pivotEndpoint).toBe('10.0.0.2:5060');
  });
});

describe('useFlowViewModel', () => {
  it('gives what buildFlowView gives for the same group and URL state', () => {
    const url = { ...DEFAULT_FLOW_STATE, grouping: 'ip' as const, side: 'callee' as const, columnOrder: ['10.0.0.3', '10.0.0.2'], hiddenLegs: ['leg-b'] };
    let got: FlowView | null = null;
    function Probe() {
      got = useFlowViewModel(model, url);
      return null;
    }
    renderToStaticMarkup(createElement(Probe));
    expect(got).toEqual(buildFlowView(model, url));
  });
});
