// Who the client is, decided once by the front server: the connection's
// peer, or, when that peer is a trusted proxy (TRUSTED_PROXIES), the
// right-most address in its X-Forwarded-For that is not one of them.
import "server-only";
import type http from "node:http";
import net from "node:net";

/** Addresses (or CIDR ranges) of the proxies in front of us whose X-Forwarded-* headers are believed. */
export function trustedProxies(list: readonly string[]): (ip: string) => boolean {
  const blocks = new net.BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split("/");
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (!net.isIP(address)) throw new Error(`TRUSTED_PROXIES: ${entry} is not an address or a CIDR range`);
    if (bits === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, Number(bits), family);
  }
  return (ip) => {
    const plain = plainAddress(ip);
    return net.isIP(plain) !== 0 && blocks.check(plain, net.isIPv6(plain) ? "ipv6" : "ipv4");
  };
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) → "10.0.0.1". */
function plainAddress(ip: string): string {
  return ip.startsWith("::ffff:") && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

export const firstHeader = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : v);

export type Client = { ip: string; proto: "http" | "https" };

/**
 * The client's address and protocol. A peer that is not a trusted proxy is
 * the client itself, whatever it sends; behind trusted proxies, the client is
 * the right-most address in X-Forwarded-For that is not one of them.
 */
export function clientOf(req: http.IncomingMessage, trusted: (ip: string) => boolean): Client {
  const peer = plainAddress(req.socket.remoteAddress ?? "");
  if (!trusted(peer)) return { ip: peer, proto: "http" };
  const chain = (firstHeader(req.headers["x-forwarded-for"]) ?? "")
    .split(",", 64)
    .map((s) => plainAddress(s.trim()))
    .filter((s) => net.isIP(s) !== 0);
  let ip = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    ip = chain[i];
    if (!trusted(ip)) break;
  }
  const proto = (firstHeader(req.headers["x-forwarded-proto"]) ?? "http").split(",")[0].trim().toLowerCase();
  return { ip, proto: proto === "https" ? "https" : "http" };
}
