// Raw HTTP over a socket, for tests that send what no client library would:
// ambiguous framing, slow bodies, pipelined requests.
import net from "node:net";

/** Writes `bytes` on a new connection and collects everything until the server closes it or `waitMs` pass. */
export function rawExchange(port: number, bytes: string | Buffer, opts: { waitMs?: number; localAddress?: string } = {}): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: opts.localAddress }, () => socket.write(bytes));
    const timer = setTimeout(() => socket.destroy(), opts.waitMs ?? 2_000);
    socket.on("data", (b) => (out += b.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** The status codes of the answers in a raw exchange, in order. */
export const statuses = (raw: string) => [...raw.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));

/** An open connection that sends its request's bytes slowly, one at a time. */
export function slowSender(
  port: number,
  head: string,
  opts: { everyMs: number; localAddress?: string },
): { answer: Promise<string>; received(): string; stop(): void } {
  let out = "";
  const socket = net.connect({ port, host: "127.0.0.1", localAddress: opts.localAddress }, () => socket.write(head));
  const timer = setInterval(() => socket.writable && socket.write("x"), opts.everyMs);
  socket.on("data", (b) => (out += b.toString("latin1")));
  socket.on("error", () => {});
  const answer = new Promise<string>((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve(out);
    }),
  );
  return { answer, received: () => out, stop: () => (clearInterval(timer), socket.destroy()) };
}
