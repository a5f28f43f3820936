import { describe, expect, it } from 'vitest';
import { OFFER_SDP } from '../testing/sip-messages.ts';
import { parseSdp } from './sdp.ts';

describe('parseSdp', () => {
  it('reads the session connection and an audio stream', () => {
    expect(parseSdp(OFFER_SDP)).toEqual({
      connection: '198.51.100.10',
      media: [
        {
          type: 'audio',
          port: 49170,
          proto: 'RTP/AVP',
          formats: ['0', '8', '101'],
          direction: 'sendrecv',
          connection: '198.51.100.10',
        },
      ],
    });
  });

  it('lets a media-level direction override the session-level one', () => {
    const sdp = parseSdp(
      [
        'v=0',
        'o=- 1 1 IN IP4 192.0.2.9',
        's=-',
        'c=IN IP4 192.0.2.9',
        't=0 0',
        'a=sendonly', // session level: applies to streams without their own direction
        'm=audio 4000 RTP/AVP 0',
        'm=video 4002 RTP/AVP 96',
        'a=inactive', // media level: this stream only
      ].join('\n'),
    );
    expect(sdp?.media.map((m) => m.direction)).toEqual(['sendonly', 'inactive']);
  });

  it('defaults to sendrecv when no direction is written', () => {
    const sdp = parseSdp('v=0\r\nc=IN IP4 192.0.2.9\r\nm=audio 4000 RTP/AVP 0\r\n');
    expect(sdp?.media[0].direction).toBe('sendrecv');
  });

  it('keeps an old-style hold address 0.0.0.0 as written', () => {
    const sdp = parseSdp('v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n');
    expect(sdp?.connection).toBe('0.0.0.0');
    expect(sdp?.media[0].connection).toBe('0.0.0.0');
  });

  it('gives a stream its own c= address when it has one', () => {
    const sdp = parseSdp(
      'v=0\r\nc=IN IP4 192.0.2.9\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 2001:db8::9\r\nm=audio 5000 RTP/AVP 8\r\n',
    );
    expect(sdp?.connection).toBe('192.0.2.9');
    expect(sdp?.media.map((m) => m.connection)).toEqual(['2001:db8::9', '192.0.2.9']);
  });

  it('reads a port with a number of ports and a rejected stream with port 0', () => {
    const sdp = parseSdp('v=0\r\nm=audio 49170/2 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n');
    expect(sdp?.media.map((m) => m.port)).toEqual([49170, 0]);
  });

  it('skips a broken m= line and keeps its attributes off the session and other streams', () => {
    const sdp = parseSdp('v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=audio x\r\na=inactive\r\nc=IN IP4 192.0.2.1\r\n');
    expect(sdp).toEqual({
      connection: null,
      media: [{ type: 'audio', port: 4000, proto: 'RTP/AVP', formats: ['0'], direction: 'sendrecv', connection: null }],
    });
  });

  it('returns null for a body that is not SDP', () => {
    expect(parseSdp('SIP/2.0 200 OK\r\n')).toBeNull();
    expect(parseSdp('')).toBeNull();
  });
});
