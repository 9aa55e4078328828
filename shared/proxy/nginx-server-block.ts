/**
 * An nginx configuration for n8n behind the admin's own nginx (a file for conf.d/ or sites-enabled/, which
 * nginx includes in its http block). Websocket upgrades are passed on, `Host` is kept, buffering is off so
 * that the editor's push messages arrive at once, and a sub-path is stripped before requests reach n8n.
 */
import { hostWithPort } from './public-url.js';
import type { PublicUrlParts } from './public-url.js';

export function nginxServerBlock(url: PublicUrlParts, upstream: string): string {
  const tls = url.scheme === 'https';
  const port = url.port || (tls ? '443' : '80');
  // $host drops the port; n8n compares the browser's Origin with Host, so a non-default port must stay.
  const host = url.port ? '$http_host' : '$host';
  const prefix = url.pathPrefix;
  const proxied = [
    // The trailing slash makes nginx replace the matched prefix with `/`.
    `proxy_pass http://${upstream}${prefix ? '/' : ''};`,
    'proxy_http_version 1.1;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $n8n_connection_upgrade;',
    `proxy_set_header Host ${host};`,
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_buffering off;',
    'proxy_cache off;',
    'proxy_read_timeout 1h;',
  ];
  const locations = prefix
    ? [`location = ${prefix} {`, `    return 301 ${prefix}/;`, '}', `location ${prefix}/ {`, ...indent(proxied), '}']
    : ['location / {', ...indent(proxied), '}'];
  const server = [
    `listen ${port}${tls ? ' ssl' : ''};`,
    `listen [::]:${port}${tls ? ' ssl' : ''};`,
    `server_name ${url.hostname};`,
    ...(tls
      ? [
          '# Certbot\'s paths; change them if your certificates live elsewhere.',
          `ssl_certificate /etc/letsencrypt/live/${url.hostname}/fullchain.pem;`,
          `ssl_certificate_key /etc/letsencrypt/live/${url.hostname}/privkey.pem;`,
        ]
      : []),
    '# n8n accepts uploads up to 16 MB by default (N8N_PAYLOAD_SIZE_MAX); nginx stops at 1 MB.',
    'client_max_body_size 16m;',
    '',
    ...locations,
  ];
  const redirect =
    tls && !url.port
      ? ['server {', '    listen 80;', '    listen [::]:80;', `    server_name ${url.hostname};`, '    return 301 https://$host$request_uri;', '}', '']
      : [];
  return [
    `# n8n at ${url.scheme}://${hostWithPort(url)}${prefix}/ — include this file in nginx's http block.`,
    '# Keep-alive for ordinary requests, "upgrade" for websockets (the editor\'s live connection).',
    'map $http_upgrade $n8n_connection_upgrade {',
    '    default upgrade;',
    "    ''      close;",
    '}',
    '',
    ...redirect,
    'server {',
    ...indent(server),
    '}',
    '',
  ].join('\n');
}

function indent(lines: string[]): string[] {
  return lines.map((line) => (line ? `    ${line}` : line));
}
