/**
 * Where a project lives: a local folder, or a folder on a server reached over SSH. The command line takes
 * what scp takes (`user@host:/opt/n8n`, `host:/opt/n8n`, `[2001:db8::1]:/opt/n8n`) and the URL form
 * (`ssh://user@host:2222/opt/n8n`); everything else is a local path. As in scp, a colon after a slash is
 * part of a local path (`./host:x`), and a Windows drive (`C:\n8n`, `C:/n8n`) is not a host.
 *
 *   parseLocation('deploy@vps.example.com:/opt/n8n')
 *   // { kind: 'remote', user: 'deploy', host: 'vps.example.com', path: '/opt/n8n' }
 *   parseLocation('./vps:n8n')  // { kind: 'local', path: './vps:n8n' }
 */
import { SetupError } from '../errors.js';

export type Location = { kind: 'local'; path: string } | RemoteLocation;

export interface RemoteLocation {
  kind: 'remote';
  /** As given; undefined: ssh decides (~/.ssh/config's User, else the local user name). */
  user?: string;
  /** A name (or a Host alias of ~/.ssh/config), or an IP address without brackets. */
  host: string;
  /** Only from the ssh:// form; otherwise ~/.ssh/config's Port, else 22. */
  port?: number;
  /** The folder on the server; relative paths are relative to the login's home, as in scp. */
  path: string;
}

const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/;
const USER_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;

export function parseLocation(text: string, field = 'location'): Location {
  if (text.startsWith('ssh://')) return parseSshUrl(text, field);
  // A Windows drive letter, or a path whose first colon comes after a slash (scp's rule): local.
  if (/^[A-Za-z]:([\\/]|$)/.test(text)) return { kind: 'local', path: text };
  const bracketed = /^(?:([^@/:]+)@)?\[([0-9A-Fa-f:.]+)\]:(.*)$/s.exec(text);
  if (bracketed) return remote(bracketed[1], bracketed[2] ?? '', undefined, bracketed[3] ?? '', text, field);
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  if (colon <= 0 || (slash !== -1 && slash < colon)) return { kind: 'local', path: text };
  const [who, path] = [text.slice(0, colon), text.slice(colon + 1)];
  const at = who.lastIndexOf('@');
  return remote(at === -1 ? undefined : who.slice(0, at), at === -1 ? who : who.slice(at + 1), undefined, path, text, field);
}

/** A server without a folder (`--on`): `user@host`, `host`, `[2001:db8::1]`, or `ssh://user@host:2222`. */
export function parseSshTarget(text: string, field = 'on'): Omit<RemoteLocation, 'kind' | 'path'> {
  const notServer = () => invalid(text, field, 'is not a server: give user@host, or ssh://user@host:2222 for another port');
  if (text.startsWith('ssh://')) {
    if (/^ssh:\/\/[^/]*\/./.test(text)) throw notServer();
    const { path: _path, kind: _kind, ...target } = parseSshUrl(`${text.replace(/\/$/, '')}/.`, field);
    return target;
  }
  if (text.includes('/') || text.replace(/\[[^\]]*\]/, '').includes(':')) throw notServer();
  const location = parseLocation(`${text}:.`, field);
  if (location.kind !== 'remote') throw notServer();
  const { path: _path, kind: _kind, ...target } = location;
  return target;
}

/** How the location is shown and given back to scp-style commands: `user@host:/path` (`ssh://…:port/path` with a port). */
export function formatLocation(location: Location): string {
  if (location.kind === 'local') return location.path;
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  const user = location.user ? `${location.user}@` : '';
  if (location.port !== undefined) return `ssh://${user}${host}:${location.port}${location.path.startsWith('/') ? '' : '/~/'}${location.path}`;
  return `${user}${host}:${location.path}`;
}

/** The server alone, as `--on` takes it: `user@host`, `[2001:db8::1]`, or `ssh://user@host:2222`. */
export function formatServer(target: Omit<RemoteLocation, 'kind' | 'path'>): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const user = target.user ? `${target.user}@` : '';
  return target.port === undefined ? `${user}${host}` : `ssh://${user}${host}:${target.port}`;
}

/**
 * `command` run in the folder on the server, as the admin would type it: `ssh -p 2222 root@host 'cd /opt/n8n &&
 * docker compose up -d'`. `tty`: the command wants a terminal (`docker compose exec` does), so ssh gets -t.
 */
export function commandInFolder(location: RemoteLocation, command: string, options: { tty?: boolean } = {}): string {
  const port = `${options.tty ? ' -t' : ''}${location.port === undefined ? '' : ` -p ${location.port}`}`;
  const host = `${location.user ? `${location.user}@` : ''}${location.host}`;
  return `ssh${port} ${host} ${shellQuote(`cd ${shellQuote(location.path)} && ${command}`)}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function parseSshUrl(text: string, field: string): RemoteLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(text, field, 'is not an ssh:// address');
  }
  if (url.password) throw invalid(text, field, 'holds a password; ssh:// addresses name the user only');
  if (url.search || url.hash) throw invalid(text, field, 'has a query or fragment');
  const port = url.port ? Number(url.port) : undefined;
  const path = decodeURIComponent(url.pathname);
  // ssh://host/~/n8n is the home's n8n, as scp reads it.
  return remote(url.username ? decodeURIComponent(url.username) : undefined, url.hostname.replace(/^\[(.*)\]$/, '$1'), port, path.startsWith('/~/') ? path.slice(3) : path, text, field);
}

function remote(user: string | undefined, host: string, port: number | undefined, path: string, text: string, field: string): RemoteLocation {
  if (user !== undefined && !USER_NAME.test(user)) throw invalid(text, field, `has the user name "${user}", which ssh would not take`);
  if (!host || (!HOST_NAME.test(host) && !/^[0-9A-Fa-f:.]+$/.test(host)) || host.startsWith('-')) throw invalid(text, field, `has the host "${host}", which is not a host name or address`);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw invalid(text, field, 'has a port outside 1-65535');
  if (!path) throw invalid(text, field, 'names no folder after the colon');
  if (/[\0\n\r]/.test(path)) throw invalid(text, field, 'has a line break or NUL in its folder');
  return { kind: 'remote', ...(user !== undefined && { user }), host, ...(port !== undefined && { port }), path };
}

function invalid(text: string, field: string, why: string): SetupError {
  return new SetupError({
    code: 'INVALID_ARGUMENT',
    field,
    message: `"${text}" ${why}.`,
    fix: 'Give a local folder, or a server folder as user@host:/opt/n8n (or ssh://user@host:2222/opt/n8n for another port).',
  });
}
