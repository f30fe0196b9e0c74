import { Command } from 'commander';
import { AppError } from '../../shared/errors.js';
import { runAction } from '../../shared/cli/run-command.js';

/** `homing sim rollout`: a package rollout through real node processes to thousands of virtual agents. */
export function rolloutCommand(): Command {
  return new Command('rollout')
    .description('roll a package out through real coordinator and node processes to virtual agents, and report what it cost')
    .action(() => runAction(async () => { throw new AppError('NOT_READY', 'homing sim rollout is being built', 500); }));
}
