import { join } from 'node:path';

/** Inputs of the baseline nginx config. */
export interface NginxConfigInput {
  dir: string;
  port: number;
  certFile: string;
  keyFile: string;
  caFile: string;
  /** Answer to every request (any method). */
  body: string;
  /** File holding `body`, used when it cannot be inlined in a `return` directive. */
  bodyFile: string;
  /** Serve the files under this directory instead of `body` (GET, with Range). */
  root?: string;
  workers: number;
}

/** Whether a JSON text can sit inside an nginx single-quoted string (no variables, quotes or escapes). */
function inlinable(text: string): boolean {
  return !/[$'\\\n]/.test(text);
}

/**
 * nginx.conf for the baseline: foreground, `worker_processes N`, TLS with `ssl_verify_client on`
 * against the coordinator's CA, the coordinator's own server cert, and a static JSON answer for
 * POST — `return 200 '…'` when the JSON allows it, else a file served via `error_page 405 =200` — or the
 * static files under `root`.
 */
export function nginxConfig(c: NginxConfigInput): string {
  const answer = c.root !== undefined ? `root ${JSON.stringify(c.root)};\n      sendfile on;`
    : inlinable(c.body)
    ? `default_type application/json;\n      return 200 '${c.body}';`
    : `default_type application/json;\n      root ${JSON.stringify(join(c.bodyFile, '..'))};\n      try_files /${c.bodyFile.split('/').pop()} =404;\n      error_page 405 =200 $uri;`;
  return `daemon off;
master_process on;
worker_processes ${c.workers};
pid ${join(c.dir, 'nginx.pid')};
error_log ${join(c.dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${join(c.dir, 'client_body')};
  proxy_temp_path ${join(c.dir, 'proxy')};
  fastcgi_temp_path ${join(c.dir, 'fastcgi')};
  uwsgi_temp_path ${join(c.dir, 'uwsgi')};
  scgi_temp_path ${join(c.dir, 'scgi')};
  keepalive_requests 10000000;
  keepalive_timeout 65s;
  server {
    listen 127.0.0.1:${c.port} ssl;
    ssl_certificate ${c.certFile};
    ssl_certificate_key ${c.keyFile};
    ssl_client_certificate ${c.caFile};
    ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      ${answer}
    }
  }
}
`;
}
