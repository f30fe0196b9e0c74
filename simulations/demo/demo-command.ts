import { Command } from 'commander';
import { runAction } from '../../shared/cli/run-command.js';
import { parseCount } from '../rollout/rollout-options.js';
import { runDemo } from './run-demo.js';

/** `homing demo`: a small working fleet on this machine, until Ctrl-C. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start a coordinator, two buildings with a primary and a failover node each, and agents in both; install a sample package by policy and show where to look')
    .option('--port <port>', 'coordinator HTTPS port (0 for any free one)', '8443')
    .option('--agents-per-building <n>', 'agents in each building', '2')
    .option('--first-octet <n>', 'the buildings sit on 127.<n>.0.0/16 and 127.<n+1>.0.0/16', '21')
    .option('--checkin-seconds <s>', 'check-in interval the coordinator gives the agents', '60')
    .addHelpText('after', '\nEverything runs on loopback addresses with its data in temp dirs. Ctrl-C stops every process the demo started and removes the temp dirs.')
    .action((raw: Record<string, string>) => runAction(() => runDemo({
      port: parseCount('port', raw.port!, 0, 65535),
      agentsPerBuilding: parseCount('agents-per-building', raw.agentsPerBuilding!, 1, 50),
      firstOctet: parseCount('first-octet', raw.firstOctet!, 1, 253),
      checkinSeconds: parseCount('checkin-seconds', raw.checkinSeconds!, 10, 86_400),
    })));
}
