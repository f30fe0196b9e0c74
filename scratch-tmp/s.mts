import '../shared/polyfill.ts';
import { createLibp2p } from 'libp2p';
import { tcp } from '@libp2p/tcp';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPair, privateKeyToProtobuf, privateKeyFromProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
const mk = async (host: string) => createLibp2p({
  privateKey: privateKeyFromProtobuf(privateKeyToProtobuf(await generateKeyPair('Ed25519'))),
  addresses: { listen: [`/ip4/${host}/tcp/0`] },
  transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()],
  connectionGater: { denyInboundEncryptedConnection: (p) => { console.log('gate in', p.toString()); return false; } },
});
const a = await mk('127.0.0.2'); const b = await mk('127.0.0.3');
console.log(a.getMultiaddrs().map(String));
await a.handle('/x/1.0.0', async (stream) => {
  let n = 0; for await (const c of stream) n += c.byteLength;
  stream.send(new TextEncoder().encode('got ' + n)); await stream.close();
});
const s = await b.dialProtocol(multiaddr(a.getMultiaddrs()[0]!.toString()), '/x/1.0.0');
s.send(new Uint8Array(100000)); await s.close();
for await (const c of s) console.log('reply', new TextDecoder().decode(c.subarray()));
console.log(peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString());
await a.stop(); await b.stop();
