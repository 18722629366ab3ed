// Starts one of bench/'s server programs in a child process (its own event
// loop, like the app) and waits for the port it reports over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { sleep } from "./http";

export type ChildServer = { port: number; pid: number; child: ChildProcess; stop(): Promise<void> };

export async function startChild(script: string, args: string[] = []): Promise<ChildServer> {
  // process.execArgv carries --import tsx (npm run bench), so the child runs TypeScript too
  const child = fork(resolve(import.meta.dirname, script), args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const port = await new Promise<number>((res, rej) => {
    child.once("message", (m: { port?: number }) => (m?.port ? res(m.port) : rej(new Error(`${script}: unexpected message`))));
    child.once("exit", (code) => rej(new Error(`${script} exited with code ${code} before listening`)));
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    port,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      if (!(await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]))) child.kill("SIGKILL");
    },
  };
}
