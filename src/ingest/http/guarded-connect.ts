import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { type BlockedRange, blockedRange } from './address-policy.ts';

/**
 * The SSRF guard sits in the connector, below fetch: every TCP connection, including each one a
 * redirect opens, resolves its host through `resolve`, refuses it if any address is private, and
 * then connects to exactly the addresses it checked (net.connect's `lookup` hook), so DNS cannot
 * answer differently between the check and the connect.
 */

/** Name resolution, injectable so tests can point a public-looking name at a local server. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A connection the policy refused; the client turns it into FETCH_BLOCKED naming the source URL. */
export class BlockedAddressError extends Error {
  readonly hostname: string;
  readonly address: string;
  readonly range: BlockedRange;
  constructor(hostname: string, address: string, range: BlockedRange) {
    const where = hostname === address ? address : `${hostname} (${address})`;
    super(`${where} is a ${range} address`);
    this.name = 'BlockedAddressError';
    this.hostname = hostname;
    this.address = address;
    this.range = range;
  }
}

export interface GuardOptions {
  resolve: Resolver;
  /** Lower-cased host names exempt from the check (explicit exceptions; tests). */
  allowHosts: ReadonlySet<string>;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for net.connect that resolves with `resolve` and refuses private answers. */
export function guardedLookup(opts: GuardOptions) {
  return (hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    opts
      .resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, []);
          return;
        }
        if (!opts.allowHosts.has(hostname.toLowerCase())) {
          // One private answer refuses the name: a name that mixes public and private addresses is
          // the classic DNS-rebinding setup.
          for (const a of addresses) {
            const range = blockedRange(a.address);
            if (range) {
              callback(new BlockedAddressError(hostname, a.address, range), []);
              return;
            }
          }
        }
        const all = typeof options === 'object' && options.all === true;
        if (all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, []));
  };
}

/**
 * An undici connector that applies the policy. Literal IP hosts never reach `lookup`, so they are
 * checked here; names are checked by the lookup hook as the socket resolves them.
 */
export function guardedConnector(
  opts: GuardOptions & { connectTimeoutMs: number },
): buildConnector.connector {
  const base = buildConnector({
    timeout: opts.connectTimeoutMs,
    lookup: guardedLookup(opts),
  } as buildConnector.BuildOptions);
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !opts.allowHosts.has(host.toLowerCase())) {
      const range = blockedRange(host);
      if (range) {
        callback(new BlockedAddressError(host, host, range), null);
        return;
      }
    }
    base(options, callback);
  };
}
