/**
 * Where `check` may connect. It reads whatever a URL's name resolves to, and a name can point anywhere:
 * into this machine's link-local network, or at a cloud's metadata service, which hands the instance's
 * credentials to any process that asks. Those addresses are refused — unless the URL the admin gave names
 * that address itself (or the metadata service by its own name): then the admin asked for exactly that.
 * Redirects never change the host (see bounded-get.ts), so the URL's host is the only name there is.
 */
import { BlockList, isIP } from 'node:net';

export type RefusedReach = 'metadata' | 'link-local';

/** AWS, Azure, GCP, Oracle and others (IPv4), and AWS's IPv6 endpoint. */
export const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'] as const;
/** Names that mean the metadata service wherever they resolve. */
export const METADATA_HOST_NAMES = ['metadata.google.internal'] as const;

const METADATA = new BlockList();
for (const address of METADATA_ADDRESSES) METADATA.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

// IPv4-mapped IPv6 addresses (::ffff:169.254.0.1) are checked against the IPv4 rules too.
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** What kind of refused address this is, if it is one. */
export function refusedKind(address: string): RefusedReach | undefined {
  const family = familyOf(address);
  if (!family) return undefined;
  if (METADATA.check(address, family)) return 'metadata';
  return LINK_LOCAL.check(address, family) ? 'link-local' : undefined;
}

/** Why connecting to `address` is refused when the URL's host is `urlHost`; undefined: allowed. */
export function refusedReach(urlHost: string, address: string): RefusedReach | undefined {
  const kind = refusedKind(address);
  if (!kind) return undefined;
  const named = urlHost.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  const namedFamily = familyOf(named);
  if (namedFamily) {
    const same = new BlockList();
    same.addAddress(named, namedFamily);
    if (same.check(address, familyOf(address) ?? namedFamily)) return undefined;
  }
  if (kind === 'metadata' && (METADATA_HOST_NAMES as readonly string[]).includes(named)) return undefined;
  return kind;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}
