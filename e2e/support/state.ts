/** What the global setup loaded, handed to the tests through a JSON file named in the environment. */
import { readFileSync } from 'node:fs';

export interface LoadedScenario {
  name: string;
  /** Call-IDs of the group, leg order. */
  callIds: string[];
  roles: string[];
  messageCount: number;
  /** Expected side per message at the default pivot. */
  sides: ('caller' | 'callee')[];
}

export interface E2EState {
  http: string;
  scenarios: Record<string, LoadedScenario>;
}

export const STATE_ENV = 'HEPFLOW_E2E_STATE';

export function e2eState(): E2EState {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run through playwright.config.ts (global setup)`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2EState;
}

export function scenario(name: string): LoadedScenario {
  const s = e2eState().scenarios[name];
  if (!s) throw new Error(`scenario ${name} was not loaded by the global setup`);
  return s;
}
