/** The `hepflow` command: one file per verb; configuration is described in server/config.ts. */
import { Command } from 'commander';
import { registerServe } from './serve.ts';
import { registerReplay } from './replay.ts';
import { registerImport } from './import.ts';
import { registerExport } from './export.ts';
import { registerDoctor } from './doctor.ts';
import { registerToken } from './token.ts';

const program = new Command('hepflow')
  .description('One ladder diagram for a whole SIP call scenario, from HEP traces of OpenSIPS and Kamailio')
  .showHelpAfterError();
registerServe(program);
registerReplay(program);
registerImport(program);
registerExport(program);
registerDoctor(program);
registerToken(program);

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`hepflow: ${err.message}\n`);
  process.exit(1);
});
