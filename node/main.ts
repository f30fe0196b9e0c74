import { Command } from 'commander';
import { runAction, untilSignal } from '../shared/cli/run-command.js';
import { createLogger } from '../shared/logger.js';
import { readNodeConfig } from './config.js';
import { startNode } from './node-daemon.js';

/** `homing node`: runs a distribution node until SIGINT/SIGTERM. */
export function nodeCommand(): Command {
  return new Command('node')
    .description('run a distribution node: joins the coordinator, replicates packages over the libp2p mesh, serves agents over HTTPS')
    .option('--coordinator <urls>', 'coordinator URL(s), comma-separated (env HOMING_COORDINATOR)')
    .option('--ca-file <file>', 'the coordinator CA to pin, PEM (env HOMING_CA_FILE)')
    .option('--token <token>', 'one-time join token from POST /api/v1/nodes (or env HOMING_NODE_TOKEN); only for the first start')
    .option('--data-dir <dir>', 'identity, manifests and chunks (env HOMING_DATA_DIR; default ./node-data)')
    .option('--host <addr>', 'address to listen on and advertise (env HOMING_HOST; default 127.0.0.1)')
    .option('--advertise-host <ip>', 'IP address peers and agents reach this node at, when --host is not it (e.g. --host 0.0.0.0) (env HOMING_ADVERTISE_HOST)')
    .option('--http-port <port>', 'HTTPS port for agents (env HOMING_HTTP_PORT; default 8444)')
    .option('--p2p-port <port>', 'libp2p TCP port, 0 for any (env HOMING_P2P_PORT; default 4002)')
    .option('--quota-bytes <n>', 'most chunk bytes to keep, 0 = no quota (env HOMING_QUOTA_BYTES)')
    .option('--min-free-bytes <n>', 'refuse chunks when less would stay free (env HOMING_MIN_FREE_BYTES)')
    .option('--upload-bytes-per-second <n>', 'upload cap, 0 = none (env HOMING_UPLOAD_BYTES_PER_SECOND)')
    .option('--download-bytes-per-second <n>', 'download cap, 0 = none (env HOMING_DOWNLOAD_BYTES_PER_SECOND)')
    .action((o: Record<string, string | undefined>) => runAction(async () => {
      const config = readNodeConfig({
        coordinator: o.coordinator, caFile: o.caFile, token: o.token, dataDir: o.dataDir, host: o.host, advertiseHost: o.advertiseHost, httpPort: o.httpPort, p2pPort: o.p2pPort,
        quotaBytes: o.quotaBytes, minFreeBytes: o.minFreeBytes, uploadBytesPerSecond: o.uploadBytesPerSecond, downloadBytesPerSecond: o.downloadBytesPerSecond,
      });
      const logger = createLogger('node');
      const node = await startNode(config, logger);
      process.stderr.write(`Homing node ${node.nodeId} (${node.peerId}) serving agents at ${node.httpUrl}\n`);
      const sig = await untilSignal();
      logger.info({ signal: sig }, 'stopping');
      await node.stop();
    }));
}
