/** `hepflow replay` as a user runs it: a child process sending real HEP to a running collector. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { findScenario } from '../scenarios/index.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { noSharedFixtures, sharedFixture } from '../testing/shared-fixtures.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const hepflow = (...args: string[]) => run(process.execPath, ['bin/hepflow.js', ...args], { cwd: repo });

describe('hepflow replay', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  it('sends a library scenario over TCP, and the collector groups it as the scenario expects', async () => {
    const { stdout } = await hepflow('replay', '--scenario', 'blind-transfer', '--to', `tcp://127.0.0.1:${s.hepTcp!.port}`, '--rate', '0');
    const expected = findScenario('blind-transfer')!.build(0).expected;
    expect(stdout).toMatch(/^sent \d+ HEP packets/);
    const callIds = expected.groups[0].callIds;
    const g = await waitFor(async () => {
      const r = await s.get(`/api/v1/groups/${encodeURIComponent(callIds[0])}`, true);
      return r.status === 200 && r.body.callIds.length === callIds.length ? r.body : undefined;
    }, 'the blind transfer grouped');
    expect(g.legs.map((l: { role: string }) => l.role)).toEqual(expected.groups[0].legs.map((l) => l.role));
  });

  it.skipIf(noSharedFixtures)('sends the SIP of a capture file over UDP, wrapped in HEP3 with the capture id asked for', async () => {
    const pcap = sharedFixture('sngrep-aaa.pcap');
    const { stdout } = await hepflow('replay', '--pcap', pcap, '--to', `udp://127.0.0.1:${s.hepUdp!.port}`, '--rate', '2000', '--capture-id', '77');
    expect(stdout).toMatch(/^sent 81 HEP packets/);
    // The capture's 81 SIP messages fall in 6 calls (what `hepflow import` finds in it too).
    const page = await waitFor(async () => {
      const p = (await s.get('/api/v1/calls?limit=50&from=1120000000000000&to=1130000000000000')).body;
      return p.items.reduce((n: number, i: { messages: number }) => n + i.messages, 0) === 81 ? p : undefined;
    }, 'the 81 messages of the capture');
    expect(page.items.flatMap((i: { callIds: string[] }) => i.callIds)).toHaveLength(6);
    const g = (await s.get(`/api/v1/groups/${encodeURIComponent(page.items[0].groupId)}`)).body;
    expect(g.messages.every((m: { captureIds: string[] }) => m.captureIds[0] === '77')).toBe(true);
  });

  it('refuses an unknown scenario with a message naming the known ones', async () => {
    await expect(hepflow('replay', '--scenario', 'nope', '--to', `udp://127.0.0.1:${s.hepUdp!.port}`)).rejects.toThrow(/no scenario "nope"; known: basic-call/);
  });
});
