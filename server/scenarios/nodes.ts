/**
 * The cast of the scenario library: phones, servers and carriers with realistic addresses
 * (RFC 1918 inside, RFC 5737 / RFC 3849 documentation ranges outside) and User-Agent strings.
 */
import type { Node, ScenarioBuilder, Side } from './builder.ts';
import type { ScenarioExpectation, ScenarioRun } from './types.ts';

export function node(name: string, ip: string, agent: string, port = 5060): Node {
  return { name, ip, port, agent };
}

export const AGENT = {
  opensips: 'OpenSIPS (3.4.4 (x86_64/linux))',
  opensipsSbc: 'OpenSIPS SBC (3.4.4 (x86_64/linux))',
  kamailio: 'kamailio (5.6.3 (x86_64/linux))',
  yealink: 'Yealink SIP-T46U 66.86.0.15',
  polycom: 'PolycomVVX-VVX_450-UA/6.4.3.5018',
  grandstream: 'Grandstream GRP2614 1.0.5.67',
  freeswitch: 'FreeSWITCH-mod_sofia/1.10.11-release~64bit',
  asterisk: 'Asterisk PBX 18.20.0',
  carrier: 'Carrier-SBC/7.2',
} as const;

/** Alice, Bob and Carol on the office LAN, and the main proxy. */
export function office(): { alice: Node; bob: Node; carol: Node; proxy: Node } {
  return {
    alice: node('Alice', '10.0.1.10', AGENT.yealink),
    bob: node('Bob', '10.0.1.20', AGENT.polycom),
    carol: node('Carol', '10.0.1.30', AGENT.grandstream),
    proxy: node('Main proxy', '10.0.0.5', AGENT.opensips),
  };
}

/** The run of a scenario: sorted packets, the hand-written expectation plus the hop sides. */
export function finish(
  b: ScenarioBuilder,
  expected: Omit<ScenarioExpectation, 'sides'> & { sides?: Side[] },
  servers: Node[],
): ScenarioRun {
  return {
    packets: b.sortedPackets(),
    expected: { ...expected, sides: expected.sides ?? [...b.sides] },
    aliases: Object.fromEntries(servers.map((n) => [n.ip, n.name])),
  };
}
