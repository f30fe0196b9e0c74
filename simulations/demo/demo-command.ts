import { Command } from 'commander';
import { AppError } from '../../shared/errors.js';
import { runAction } from '../../shared/cli/run-command.js';

/** `homing demo`: a small working fleet on this machine. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start a coordinator, two segments of nodes and a few agents on this machine, and show them working')
    .action(() => runAction(async () => { throw new AppError('NOT_READY', 'homing demo is being built', 500); }));
}
