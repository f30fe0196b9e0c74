import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Error, Http1Getter, type Http1Handlers } from '../../../agent/packages/http1-get.js';

const TIMEOUTS = { connectMs: 500, firstByteMs: 300, idleMs: 300 };
const servers: (Server | HttpServer)[] = [];
const getters: Http1Getter[] = [];

/** A raw TCP server: `answer` gets each request's head (one per call) and the socket it came on. */
async function rawServer(answer: (head: string, socket: Socket, n: number) => void) {
  const log = { connections: 0, requests: [] as string[] };
  const server = createServer((socket) => {
    log.connections += 1;
    let pending = '';
    socket.on('data', (d) => {
      pending += d.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        log.requests.push(head.split('\r\n')[0]!);
        answer(head, socket, log.requests.length);
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
}

function getter() {
  const g = new Http1Getter({}, { idleMs: 10_000, maxIdlePerOrigin: 8 });
  getters.push(g);
  return g;
}

/** GETs `url` and collects status and body (parts are copied: they are only valid during the call). */
async function fetchAll(g: Http1Getter, url: string, headers: Record<string, string> = {}, signal?: AbortSignal) {
  let status = 0;
  const parts: Buffer[] = [];
  const handlers: Http1Handlers = { onStatus: (s) => { status = s; }, onBody: (p) => void parts.push(Buffer.from(p)) };
  await g.get(new URL(url), headers, handlers, TIMEOUTS, signal);
  return { status, body: Buffer.concat(parts) };
}

afterEach(async () => {
  for (const g of getters.splice(0)) g.close();
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    s.close();
  }
});

describe('Http1Getter', () => {
  it('reads Content-Length and chunked bodies (framing split across reads) and keeps one connection for both', async () => {
    const body = randomBytes(300_000);
    const server = await rawServer((head, socket, n) => {
      if (n === 1) return void socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`), body]));
      // Chunked, written a few bytes at a time so sizes, CRLFs and data straddle reads.
      const framed = Buffer.concat([
        Buffer.from('HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n'),
        Buffer.from('a;ext=1\r\n'), body.subarray(0, 10), Buffer.from('\r\n'),
        Buffer.from(`${(body.length - 10).toString(16)}\r\n`), body.subarray(10), Buffer.from('\r\n0\r\nx-trailer: 1\r\n\r\n'),
      ]);
      const writeSome = (at: number) => {
        if (at >= framed.length) return;
        const n = at < 200 ? 7 : 65_536;
        socket.write(framed.subarray(at, at + n), () => setImmediate(() => writeSome(at + n)));
      };
      writeSome(0);
      expect(head).toContain('range: bytes=5-');
    });
    const g = getter();
    const first = await fetchAll(g, `${server.url}/a`);
    const second = await fetchAll(g, `${server.url}/b`, { range: 'bytes=5-' });
    expect(first.status).toBe(200);
    expect(Buffer.compare(first.body, body)).toBe(0);
    expect(second.status).toBe(206);
    expect(Buffer.compare(second.body, body)).toBe(0);
    expect(server.log).toEqual({ connections: 1, requests: ['GET /a HTTP/1.1', 'GET /b HTTP/1.1'] });
  });

  it('asks again on a new connection when a kept one was dropped by the server, but not when the answer had begun', async () => {
    const server = await rawServer((_head, socket, n) => {
      if (n === 2) return void socket.destroy();
      if (n === 4) return void socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    const g = getter();
    expect((await fetchAll(g, `${server.url}/1`)).body.toString()).toBe('ok');
    expect((await fetchAll(g, `${server.url}/2`)).body.toString()).toBe('ok');
    expect(server.log.connections).toBe(2);
    await expect(fetchAll(g, `${server.url}/3`)).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
    expect(server.log.requests).toHaveLength(4);
  });

  it('does not reuse a connection the server asked to close', async () => {
    const server = await rawServer((_head, socket) => socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 1\r\n\r\nx'));
    const g = getter();
    await fetchAll(g, `${server.url}/1`);
    await fetchAll(g, `${server.url}/2`);
    expect(server.log.connections).toBe(2);
  });

  it('times out a silent server (head) and a stalled body, and rejects what is not HTTP', async () => {
    const server = await rawServer((head, socket) => {
      if (head.startsWith('GET /stall')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      else if (head.startsWith('GET /junk')) socket.write('SSH-2.0-OpenSSH\r\n\r\n');
      else if (head.startsWith('GET /nolength')) socket.write('HTTP/1.1 200 OK\r\n\r\nbytes');
      else if (head.startsWith('GET /badlength')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2x\r\n\r\nbytes');
      else if (head.startsWith('GET /badchunk')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1g\r\nx\r\n0\r\n\r\n');
      else if (head.startsWith('GET /chunked')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n');
    });
    const g = getter();
    await expect(fetchAll(g, `${server.url}/silent`)).rejects.toMatchObject({ code: 'HEADERS_TIMEOUT' });
    await expect(fetchAll(g, `${server.url}/stall`)).rejects.toMatchObject({ code: 'BODY_TIMEOUT' });
    await expect(fetchAll(g, `${server.url}/junk`)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(fetchAll(g, `${server.url}/nolength`)).rejects.toBeInstanceOf(Http1Error);
    await expect(fetchAll(g, `${server.url}/badlength`)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(fetchAll(g, `${server.url}/badchunk`)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect((await fetchAll(g, `${server.url}/chunked`)).body.toString()).toBe('abc0123456789');
  });

  it('stops at once when aborted, and passes on an error thrown by the body handler', async () => {
    const server = await rawServer((head, socket) => {
      if (head.startsWith('GET /big')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabcdefghij');
    });
    const g = getter();
    const ctl = new AbortController();
    const pending = fetchAll(g, `${server.url}/never`, {}, ctl.signal);
    setTimeout(() => ctl.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
    const refuse: Http1Handlers = { onStatus: () => undefined, onBody: () => { throw new Error('too many bytes'); } };
    await expect(g.get(new URL(`${server.url}/big`), {}, refuse, TIMEOUTS)).rejects.toThrow('too many bytes');
  });

  it('talks to a Node HTTP server, including its error answers', async () => {
    const server = createHttpServer((req, res) => {
      if (req.url === '/missing') return void res.writeHead(404).end('{"error":"nope"}');
      res.writeHead(200).end('hello');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const g = getter();
    expect((await fetchAll(g, `${url}/x`)).body.toString()).toBe('hello');
    expect(await fetchAll(g, `${url}/missing`)).toMatchObject({ status: 404 });
  });
});
