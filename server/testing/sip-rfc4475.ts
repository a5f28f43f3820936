/**
 * RFC 4475 ("SIP Torture Test Messages") §3.1.1, the valid messages, as bytes. Lines end in CR LF
 * (RFC 4475 §2); the RFC's <hex>…</hex> escapes are written as the bytes they stand for (\x..
 * escapes, or the UTF-8 text they spell); <allOneLine> blocks are joined into one line.
 * Left out: §3.1.1.11 mpart01, whose body is a binary S/MIME signature.
 * Test-only: nothing outside *.test.ts and e2e/ imports this file.
 */

export interface TortureMessage {
  /** The RFC's file name (§3.1.1.x "xxx.dat"). */
  name: string;
  section: string;
  /** The Call-ID a parser must find (the first message's, for dblreq). */
  callId: string;
  bytes: Buffer;
}

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

/** The SDP body most of the messages carry, with the addresses of o= and c=. */
const sdp = (o: string, c: string) => [
  'v=0', `o=mhandley 29739 7272939 IN IP4 ${o}`, 's=-', `c=IN IP4 ${c}`, 't=0 0',
  'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', '',
];

const LONG_CALL_ID = 'longreq.one' + 'really'.repeat(20) + 'longcallid';

export const RFC4475_VALID: TortureMessage[] = [
  {
    name: 'wsinv', section: '3.1.1.1', callId: 'wsinv.ndaksdj@192.0.2.1',
    bytes: crlf([
      'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
      'TO :',
      ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
      'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
      '  ;',
      '  tag = 98asjd8',
      'MaX-fOrWaRdS: 0068',
      'Call-ID: wsinv.ndaksdj@192.0.2.1',
      'Content-Length   : 150',
      'cseq: 0009',
      '  INVITE',
      'Via  : SIP  /   2.0',
      ' /UDP',
      '    192.0.2.2;branch=390skdjuw',
      's :',
      'NewFangledHeader:   newfangled value',
      ' continued newfangled value',
      'UnknownHeaderWithUnusualValue: ;;,,;;,;',
      'Content-Type: application/sdp',
      'Route:',
      ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
      'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
      '  branch  =   z9hG4bK9ikj8  ,',
      ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
      ' z9hG4bK30239',
      'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
      '      newvalue ;',
      '  secondparam ; q = 0.33',
      '',
      ...sdp('192.0.2.3', '192.0.2.4'),
    ]),
  },
  {
    name: 'intmeth', section: '3.1.1.2', callId: 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
    bytes: crlf([
      '!interesting-Method0123456789_*+`.%indeed\'~ sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn\'t-it)@example.com SIP/2.0',
      'Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`\'~',
      // <hex>07</hex>, <hex>00</hex>, <hex>7F</hex>
      'To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
      // <hex>D180D0B0D0B1D0BED182D0B0D18ED189D0B8D0B9</hex> is UTF-8 "работающий"
      'From: token1~` token2\'+_ token3*%!.- <sip:mundane@example.com>;fromParam\'\'~+*_!.-%="работающий";tag=_token~1\'+`*%!-.',
      'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
      'CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed\'~',
      'Max-Forwards: 255',
      // <hex>EFBBBFE5A4A7E5819CE99BBB</hex>: a UTF-8 byte order mark, then "大停電"
      'extensionHeader-!.%*+_`\'~:\ufeff大停電',
      'Content-Length: 0',
      '', '',
    ]),
  },
  {
    name: 'esc01', section: '3.1.1.3', callId: 'esc01.239409asdfakjkn23onasd0-3234',
    bytes: crlf([
      'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
      'To: sip:%75se%72@example.com',
      'From: <sip:I%20have%20spaces@example.net>;tag=938',
      'Max-Forwards: 87',
      'i: esc01.239409asdfakjkn23onasd0-3234',
      'CSeq: 234234 INVITE',
      'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
      'C: application/sdp',
      'Contact:',
      '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
      'Content-Length: 150',
      '',
      ...sdp('192.0.2.1', '192.0.2.1'),
    ]),
  },
  {
    name: 'escnull', section: '3.1.1.4', callId: 'escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
    bytes: crlf([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:null-%00-null@example.com',
      'From: sip:null-%00-null@example.com;tag=839923423',
      'Max-Forwards: 70',
      'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
      'CSeq: 14398234 REGISTER',
      'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
      'Contact: <sip:%00@host5.example.com>',
      'Contact: <sip:%00%00@host5.example.com>',
      'L:0',
      '', '',
    ]),
  },
  {
    name: 'esc02', section: '3.1.1.5', callId: 'esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
    bytes: crlf([
      'RE%47IST%45R sip:registrar.example.com SIP/2.0',
      'To: "%Z%45" <sip:resource@example.com>',
      'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
      'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
      'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
      'CSeq: 29344 RE%47IST%45R',
      'Max-Forwards: 70',
      'Contact: <sip:alias1@host1.example.com>',
      'C%6Fntact: <sip:alias2@host2.example.com>',
      'Contact: <sip:alias3@host3.example.com>',
      'l: 0',
      '', '',
    ]),
  },
  {
    name: 'lwsdisp', section: '3.1.1.6', callId: 'lwsdisp.1234abcd@funky.example.com',
    bytes: crlf([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: caller<sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: lwsdisp.1234abcd@funky.example.com',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
      'l: 0',
      '', '',
    ]),
  },
  {
    name: 'longreq', section: '3.1.1.7', callId: LONG_CALL_ID,
    bytes: crlf([
      'INVITE sip:user@example.com SIP/2.0',
      // <allOneLine> blocks, joined.
      'To: "I have a user name of ' + 'extreme'.repeat(10) + ' proportion"<sip:user@example.com:6000;unknownparam1=very' + 'long'.repeat(20) + 'value;longparam' + 'name'.repeat(25) + '=shortvalue;very' + 'long'.repeat(25) + 'ParameterNameWithNoValue>',
      'F: sip:' + 'amazinglylongcallername'.repeat(5) + '@example.net;tag=12' + '982'.repeat(50) + '424;unknownheaderparam' + 'name'.repeat(20) + '=unknowheaderparam' + 'value'.repeat(15) + ';unknownValueless' + 'paramname'.repeat(10),
      `Call-ID: ${LONG_CALL_ID}`,
      'CSeq: 3882340 INVITE',
      'Unknown-' + 'Long'.repeat(20) + '-Name: unknown-' + 'long'.repeat(20) + '-value; unknown-' + 'long'.repeat(20) + '-parameter-name = unknown-' + 'long'.repeat(20) + '-parameter-value',
      'Via: SIP/2.0/TCP sip33.example.com',
      'v: SIP/2.0/TCP sip32.example.com',
      'V: SIP/2.0/TCP sip31.example.com',
      'Via: SIP/2.0/TCP sip30.example.com',
      'ViA: SIP/2.0/TCP sip29.example.com',
      'VIa: SIP/2.0/TCP sip28.example.com',
      'VIA: SIP/2.0/TCP sip27.example.com',
      'via: SIP/2.0/TCP sip26.example.com',
      'viA: SIP/2.0/TCP sip25.example.com',
      'vIa: SIP/2.0/TCP sip24.example.com',
      'vIA: SIP/2.0/TCP sip23.example.com',
      'V :  SIP/2.0/TCP sip22.example.com',
      'v :  SIP/2.0/TCP sip21.example.com',
      'V  : SIP/2.0/TCP sip20.example.com',
      'v  : SIP/2.0/TCP sip19.example.com',
      'Via : SIP/2.0/TCP sip18.example.com',
      'Via  : SIP/2.0/TCP sip17.example.com',
      ...Array.from({ length: 16 }, (_, i) => `Via: SIP/2.0/TCP sip${16 - i}.example.com`),
      'Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very' + 'long'.repeat(50) + 'branchvalue',
      'Max-Forwards: 70',
      'Contact: <sip:' + 'amazinglylongcallername'.repeat(5) + '@host5.example.net>',
      'Content-Type: application/sdp',
      'l: 150',
      '',
      ...sdp('192.0.2.1', '192.0.2.1'),
    ]),
  },
  {
    // One UDP datagram with a REGISTER and, after its empty body, the octets of an INVITE.
    name: 'dblreq', section: '3.1.1.8', callId: 'dblreq.0ha0isndaksdj99sdfafnl3lk233412',
    bytes: crlf([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:j.user@example.com',
      'From: sip:j.user@example.com;tag=43251j3j324',
      'Max-Forwards: 8',
      'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412',
      'Contact: sip:j.user@host.example.com',
      'CSeq: 8 REGISTER',
      'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
      'Content-Length: 0',
      '',
      'INVITE sip:joe@example.com SIP/2.0',
      't: sip:joe@example.com',
      'From: sip:caller@example.net;tag=141334',
      'Max-Forwards: 8',
      'Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15',
      'CSeq: 8 INVITE',
      'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234',
      'Content-Type: application/sdp',
      'Content-Length: 150',
      '',
      'v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.15', 's=-', 'c=IN IP4 192.0.2.15', 't=0 0',
      'm=audio 49217 RTP/AVP 0 12', 'm =video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', '',
    ]),
  },
  {
    name: 'semiuri', section: '3.1.1.9', callId: 'semiuri.0ha0isndaksdj',
    bytes: crlf([
      'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
      'To: sip:j_user@example.com',
      'From: sip:caller@example.org;tag=33242',
      'Max-Forwards: 3',
      'Call-ID: semiuri.0ha0isndaksdj',
      'CSeq: 8 OPTIONS',
      'Accept: application/sdp, application/pkcs7-mime,',
      '        multipart/mixed, multipart/signed,',
      '        message/sip, message/sipfrag',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
      'l: 0',
      '', '',
    ]),
  },
  {
    name: 'transports', section: '3.1.1.10', callId: 'transports.kijh4akdnaqjkwendsasfdj',
    bytes: crlf([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: <sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
      'Accept: application/sdp',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
      'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
      'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
      'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
      'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
      'l: 0',
      '', '',
    ]),
  },
  {
    name: 'unreason', section: '3.1.1.12', callId: 'unreason.1234ksdfak3j2erwedfsASdf',
    bytes: crlf([
      // The reason phrase's <hex> block is UTF-8 "но сто девяносто девять - простое".
      'SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое',
      'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
      'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
      'CSeq: 35 INVITE',
      'From: sip:user@example.com;tag=11141343',
      'To: sip:user@example.edu;tag=2229',
      'Content-Length: 154',
      'Content-Type: application/sdp',
      'Contact: <sip:user@host198.example.com>',
      '',
      ...sdp('192.0.2.198', '192.0.2.198'),
    ]),
  },
  {
    // The status line ends in <hex>20</hex>: a space and an empty reason phrase.
    name: 'noreason', section: '3.1.1.13', callId: 'noreason.asndj203insdf99223ndf',
    bytes: crlf([
      'SIP/2.0 100 ',
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: noreason.asndj203insdf99223ndf',
      'CSeq: 35 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
      'Contact: <sip:user@host105.example.com>',
      '', '',
    ]),
  },
];
