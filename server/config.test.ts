import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig, defaults, envName } from './config.ts';
import { aliasOf } from './correlate/view.ts';
import { addConfigOptions, configFrom } from './cli/context.ts';

const dir = mkdtempSync(join(tmpdir(), 'hepflow-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (json: object) => {
  const p = join(dir, `c${Math.random()}.json`);
  writeFileSync(p, JSON.stringify(json));
  return p;
};

describe('config', () => {
  it('takes flags over environment over file over defaults', () => {
    const config = file({ httpPort: 1001, hepPort: 1002, store: '/file.db', retentionDays: 3 });
    const env = { HEPFLOW_HEP_PORT: '2002', HEPFLOW_STORE: '/env.db' };
    const c = loadConfig({ config, store: '/flag.db' }, env);
    expect([c.httpPort, c.hepPort, c.store, c.retentionDays, c.httpHost]).toEqual([1001, 2002, '/flag.db', 3, defaults.httpHost]);
  });

  it('reads the config file named by HEPFLOW_CONFIG', () => {
    expect(loadConfig({}, { HEPFLOW_CONFIG: file({ tcp: false }) }).tcp).toBe(false);
  });

  it('names environment variables after the keys', () => {
    expect(envName('hepAuthKey')).toBe('HEPFLOW_HEP_AUTH_KEY');
    expect(loadConfig({}, { HEPFLOW_CORRELATION_HEADERS: 'X-A, X-B', HEPFLOW_ALIASES: '10.0.0.1=SBC' }))
      .toMatchObject({ correlationHeaders: ['X-A', 'X-B'], aliases: { '10.0.0.1': 'SBC' } });
  });

  it('reads correlationRules from the config file and checks them at start, naming the file and the rule', () => {
    const rules = [{ name: 'hdap', header: 'X-HDAP-TraceId' }, { name: 'core-id', callId: true, regex: '^(\\w+)-leg\\d$' }];
    expect(loadConfig({ config: file({ correlationRules: rules }) }, {}).correlationRules).toEqual(rules);
    expect(defaults.correlationRules).toEqual([]);
    const bad = file({ correlationRules: [{ name: 'core-id', callId: true, regex: '^\\w+-leg$' }] });
    expect(() => loadConfig({ config: bad }, {})).toThrow(`config file ${bad}: correlationRules[0] ("core-id"): regex`);
    expect(() => loadConfig({ config: bad }, {})).toThrow(/has no capture group/);
    expect(() => loadConfig({}, { HEPFLOW_CORRELATION_RULES: '[{"name": "x"' })).toThrow(/environment: correlationRules must be a JSON list/);
  });

  it('refuses bad values and unknown file keys with a message naming them', () => {
    expect(() => loadConfig({}, { HEPFLOW_HTTP_PORT: 'eighty' })).toThrow(/httpPort must be a number/);
    expect(() => loadConfig({ config: file({ htpPort: 1 }) }, {})).toThrow(/unknown setting\(s\) htpPort/);
    expect(() => loadConfig({ config: join(dir, 'missing.json') }, {})).toThrow(/config file/);
    expect(() => loadConfig({}, { HEPFLOW_ALIASES: 'SBC' })).toThrow(/ip\[:port\]=Name/);
  });

  it('finds an alias by ip:port first, then by ip', () => {
    const aliases = { '10.0.0.1': 'SBC', '10.0.0.1:5080': 'SBC internal' };
    expect([aliasOf(aliases, '10.0.0.1', 5080), aliasOf(aliases, '10.0.0.1', 5060), aliasOf(aliases, '10.0.0.2', 5060)])
      .toEqual(['SBC internal', 'SBC', null]);
  });

  it('leaves inferred links off by default and checks their settings at start, naming the bad one', () => {
    expect(loadConfig({}, {}).inferredBoxes).toEqual([]);
    expect(loadConfig({ aliases: { '10.0.0.5': 'SBC' }, inferredBoxes: ['SBC', '10.0.0.6:5060'] }, {})).toMatchObject({
      inferredBoxes: ['SBC', '10.0.0.6:5060'], inferredWindowMs: 2000, inferredDigits: 9, inferredStripPrefixes: ['+', '00'],
    });
    expect(loadConfig({}, { HEPFLOW_INFERRED_BOXES: '10.0.0.5,10.0.0.6', HEPFLOW_INFERRED_STRIP_PREFIXES: '+,00,0' })).toMatchObject({
      inferredBoxes: ['10.0.0.5', '10.0.0.6'], inferredStripPrefixes: ['+', '00', '0'],
    });
    expect(() => loadConfig({ inferredBoxes: ['SBX'] }, {})).toThrow('inferredBoxes: box "SBX" is neither an alias nor ip[:port]');
    expect(() => loadConfig({ inferredWindowMs: 0 }, {})).toThrow('inferredWindowMs must be more than 0');
    expect(() => loadConfig({ inferredWindowMs: 60_000 }, {})).toThrow('at most 10000 ms, got 60000');
    expect(() => loadConfig({ inferredDigits: 2.5 }, {})).toThrow('inferredDigits must be a whole number');
  });

  it('maps command-line flags to config keys, repeatable ones included', () => {
    const cmd = addConfigOptions(new Command('serve')).exitOverride();
    cmd.parse(['--alias', '10.0.0.2=SBC', '--alias', '10.0.0.5=Main proxy', '--correlation-header', 'X-Leg', '--no-tcp',
      '--http-port', '9999', '--inferred-box', '10.0.0.2', '--inferred-window-ms', '1500'], { from: 'user' });
    expect(configFrom(cmd)).toMatchObject({
      aliases: { '10.0.0.2': 'SBC', '10.0.0.5': 'Main proxy' }, correlationHeaders: ['X-Leg'], tcp: false, udp: true, httpPort: 9999,
      inferredBoxes: ['10.0.0.2'], inferredWindowMs: 1500,
    });
  });
});
