/**
 * Starts the real server (built web app in dist/web: run `npx vite build` first) and feeds it
 * the scenarios the tests open, as real HEP over TCP on 127.0.0.1. Returns the teardown.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutScenarios, findScenario } from '../server/scenarios/index.ts';
import { encodeHep3 } from '../server/hep/encode.ts';
import { REPO, sendHepTcp, startHepflow, waitForGroup } from './support/server.ts';
import { type E2EState, STATE_ENV } from './support/state.ts';

/** The scenarios the specs use; large-20k last, as it takes the longest to store. */
export const E2E_SCENARIOS = ['attended-transfer-opensips', 'b2b', 'chain-partial', 'chain-full', 'hostile', 'large-20k'];
/** 2025-03-14 09:30 UTC, µs: fixed, so screenshots and times repeat run to run. */
const START = Date.UTC(2025, 2, 14, 9, 30, 0) * 1000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(REPO, 'dist/web/index.html'))) throw new Error('dist/web/index.html is missing: run `npx vite build` before the e2e tests');
  const list = E2E_SCENARIOS.map((n) => {
    const s = findScenario(n);
    if (!s) throw new Error(`no scenario ${n} in server/scenarios`);
    return s;
  });
  const laid = layoutScenarios(list, START);
  // The scenarios' server names ("SBC", "Main proxy") as configured aliases, as a deployment would.
  const aliases = Object.assign({}, ...laid.map((l) => l.run.aliases)) as Record<string, string>;
  const server = await startHepflow(Object.entries(aliases).flatMap(([ip, name]) => ['--alias', `${ip}=${name}`]));
  try {
    const packets = laid.flatMap((l) => l.run.packets.map(encodeHep3));
    await sendHepTcp(server.hepTcp.port, packets);
    const state: E2EState = { http: server.http, scenarios: {} };
    for (const { scenario, run } of laid) {
      const g = run.expected.groups[0];
      await waitForGroup(server.http, g.callIds[0], run.expected.messageCount);
      state.scenarios[scenario.name] = {
        name: scenario.name,
        callIds: g.legs.map((l) => l.callId),
        roles: g.legs.map((l) => l.role),
        messageCount: run.expected.messageCount,
        sides: run.expected.sides,
      };
    }
    const file = join(server.dir, 'state.json');
    writeFileSync(file, JSON.stringify(state));
    process.env[STATE_ENV] = file;
    process.env.HEPFLOW_E2E_URL = server.http;
  } catch (err) {
    await server.stop();
    throw err;
  }
  return () => server.stop();
}
