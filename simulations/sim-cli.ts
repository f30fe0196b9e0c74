import { Command } from 'commander';
import { checkinsCommand } from './checkins/checkins-command.js';
import { rolloutCommand } from './rollout/rollout-command.js';

/** `homing sim`: load and rollout simulations that size a deployment before it is built. */
export function simCommand(): Command {
  return new Command('sim')
    .description('simulate a fleet against real coordinator and node processes, and write report.json + report.html')
    .addCommand(checkinsCommand())
    .addCommand(rolloutCommand());
}
