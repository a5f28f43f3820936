/**
 * Every reason a packet (or part of one) yields no SIP or HEP message. The importer counts
 * packets by these names and prints the counts in its summary.
 */
export type SkipReason =
  | 'unsupported-link-type' // a LINKTYPE this importer does not decode (802.11, PPP, ...)
  | 'not-ip' // link-layer frame that carries no IP: ARP, LLDP, STP, 802.3 LLC
  | 'short-frame' // the captured bytes end before the headers they announce
  | 'bad-ip-header' // IPv4 IHL / version / length fields that do not hold together
  | 'other-ip-protocol' // ICMP, SCTP, ESP, OSPF, ...: nothing SIP-bearing we decode
  | 'tunnel-too-deep' // more nested IP-in-IP / GRE layers than TUNNEL_DEPTH_MAX
  | 'fragment-expired' // a fragment whose datagram never completed in time
  | 'fragment-overflow' // fragments dropped because the reassembly buffers were full
  | 'fragment-incomplete' // datagram still missing fragments when the capture ended
  | 'not-sip' // UDP payload that is neither SIP nor HEP
  | 'keepalive' // CRLF keep-alives (RFC 5626 §3.5.1) and empty payloads
  | 'tcp-not-sip' // TCP bytes that hold no SIP or HEP message (dropped while resynchronising)
  | 'tcp-retransmission' // a TCP segment whose bytes were all seen already
  | 'tcp-no-payload' // a TCP segment without data (ACK, SYN, FIN): nothing to frame
  | 'tcp-incomplete' // a SIP message whose end is not in the capture (stream closed or capture ended)
  | 'tcp-gap' // bytes lost from a TCP stream (missing segments): the framer restarted after them
  | 'tcp-overflow' // a TCP stream or the stream table exceeded its memory bound
  | `hep-${string}`; // a HEP packet the decoder refused, by its rejection name

/** Counts by reason; a plain object so it serialises to JSON as is. */
export type SkipCounts = Record<string, number>;

export function countSkip(counts: SkipCounts, reason: SkipReason, n = 1): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}
