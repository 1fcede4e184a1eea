// The addresses this process serves on, so that TemplateURL never fetches localros's own routes
// (control plane, console, API): fetched content would otherwise become an oracle for them.
import type { Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

const servers = new Set<Server>();

export function registerOwnServer(server: Server): void {
  servers.add(server);
  server.once('close', () => servers.delete(server));
}

// IPv4-mapped IPv6 (::ffff:127.0.0.1, or ::ffff:7f00:1 as URLs normalise it) names the IPv4 address.
function plain(address: string): string {
  const a = address.toLowerCase();
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return a.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

function isLoopback(address: string): boolean {
  const a = plain(address);
  return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

function isUnspecified(address: string): boolean {
  const a = plain(address);
  return a === '0.0.0.0' || a === '::';
}

function localInterfaceAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) out.add(plain(entry.address));
  return out;
}

// True when a connection to `address`:`port` would reach one of this process's servers. A server
// bound to a wildcard address answers on every local address; loopback always counts, since a
// server on 127.0.0.1 is reached through any 127/8 address on most systems.
export function isOwnEndpoint(address: string, port: number): boolean {
  const target = plain(address);
  for (const server of servers) {
    const bound = server.address() as AddressInfo | string | null;
    if (!bound || typeof bound === 'string' || bound.port !== port) continue;
    if (isLoopback(target) || target === plain(bound.address)) return true;
    if (isUnspecified(bound.address) && (isUnspecified(target) || localInterfaceAddresses().has(target))) return true;
  }
  return false;
}
