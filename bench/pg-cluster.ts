/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp directory, start it
 * on a free loopback port, stop it and delete everything afterwards. Uses the Debian server
 * binaries (/usr/lib/postgresql/<version>/bin); as root it runs them as `nobody` (uid 65534),
 * because initdb and postgres refuse to run as root.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = "/usr/lib/postgresql";
const NOBODY = 65534;

export interface Cluster {
  /** `postgres://clausewatch@127.0.0.1:PORT/postgres` (trust authentication, loopback only). */
  url: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, or undefined. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(ROOT, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(ROOT, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Runs server binaries as the current user, or as nobody when that is root. */
function owner(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
}

/** Starts a fresh cluster; `maxConnections` covers several workers with their pools. */
export async function startCluster(options: { maxConnections?: number } = {}): Promise<Cluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`no PostgreSQL server binaries under ${ROOT}/<version>/bin`);
  const base = await mkdtemp(join(tmpdir(), "clausewatch-pg-"));
  const data = join(base, "data");
  if (process.getuid?.() === 0) {
    await chown(base, NOBODY, NOBODY);
    await chmod(base, 0o700);
  }
  await run(
    join(bin, "initdb"),
    ["-D", data, "-U", "clausewatch", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
    { ...owner(), cwd: base },
  );
  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${base}`,
    "-c",
    `max_connections=${options.maxConnections ?? 300}`,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "shared_buffers=128MB",
  ];
  const child = spawn(join(bin, "postgres"), args, {
    ...owner(),
    cwd: base,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    log = (log + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `postgres://clausewatch@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT: "fast" shutdown, which disconnects clients instead of waiting for them.
      child.kill("SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await rm(base, { recursive: true, force: true });
  };
  const ready = await waitReady(join(bin, "pg_isready"), port, () => child.exitCode !== null);
  if (!ready) {
    await stop();
    throw new Error(`PostgreSQL did not start on port ${port}: ${log}`);
  }
  return { url, stop };
}

async function waitReady(isReady: string, port: number, died: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (died()) return false;
    try {
      await run(isReady, ["-h", "127.0.0.1", "-p", String(port), "-U", "clausewatch", "-d", "postgres"]);
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}
