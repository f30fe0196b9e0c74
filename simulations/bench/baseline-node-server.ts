/** Bare Node https baseline (run as its own process): answers every request with a fixed JSON over mTLS. */
import '../../shared/polyfill.js';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const [certFile, keyFile, caFile, bodyFile] = process.argv.slice(2);
if (!certFile || !keyFile || !caFile || !bodyFile) {
  process.stderr.write('usage: baseline-node-server CERT KEY CA BODY_FILE\n');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

// Same TLS settings as the coordinator's listener, but the handshake itself rejects foreign certs.
const server = createServer({
  cert: readFileSync(certFile), key: readFileSync(keyFile), ca: [readFileSync(caFile)],
  requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
}, (req, res) => {
  req.resume();
  req.once('end', () => { res.writeHead(200, headers); res.end(body); });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
