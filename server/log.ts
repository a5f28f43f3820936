/**
 * The server's one logger shape: a message and optional fields, written as one JSON line.
 * Everything that logs takes a `Log`; only the CLI decides where the lines go.
 */
import type { Config } from './config.ts';

export type Log = (msg: string, fields?: object) => void;

/** A Log that drops everything: the default where logging is optional. */
export const noLog: Log = () => {};

/** One JSON object per line on stdout: easy to read for people and for tests that start a server. */
export function makeLog(config: Pick<Config, 'logLevel'>): Log {
  return (msg: string, fields: object = {}) => {
    if (config.logLevel === 'silent') return;
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }) + '\n');
  };
}
