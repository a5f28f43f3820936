import { describe, expect, it } from 'vitest';
import { dropsOf, socketInode } from './udp-drops.ts';

// /proc/net/udp as Linux 6.1 prints it: 127.0.0.1:9060 (0x2364) twice, by two processes, and 0.0.0.0:5060.
const TABLE = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  101: 0100007F:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 40411 2 0000000000000000 17
  102: 0100007F:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 40999 2 0000000000000000 3
  250: 00000000:13C4 00000000:0000 07 00000000:00034800 00:00000000 00000000   107        0 39001 2 0000000000000000 16073
`;

describe('kernel drops on a UDP socket', () => {
  it('finds the socket by its port among the inodes of this process, and reads its drops', () => {
    expect(socketInode(TABLE, 9060, new Set(['40999', '1']))).toBe('40999');
    expect(dropsOf(TABLE, '40999')).toBe(3);
    expect(socketInode(TABLE, 5060, new Set(['39001']))).toBe('39001');
    expect(dropsOf(TABLE, '39001')).toBe(16073);
  });

  it('answers null for a socket not in the table', () => {
    expect(socketInode(TABLE, 9060, new Set(['39001']))).toBeNull();
    expect(socketInode(TABLE, 9061, new Set(['40411']))).toBeNull();
    expect(dropsOf(TABLE, '12345')).toBeNull();
    expect(dropsOf('', '40411')).toBeNull();
  });
});
