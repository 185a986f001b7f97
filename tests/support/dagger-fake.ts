/**
 * A recording fake of the Dagger SDK surface the executor uses. Each fake implements a
 * `Pick` of the SDK's own class, so a renamed or re-typed SDK method fails to compile here.
 * Objects are immutable chains, as in Dagger: every call returns a new object whose `chain`
 * names the calls that built it; evaluations (sync, exitCode, contents…) are logged with it.
 */
import { ExecError, type CacheVolume, type Changeset, type Container, type Directory, type File, type Secret, type Service } from "@dagger.io/dagger";
import type { Engine } from "../../src/dagger/executor.js";

type ContainerSurface = Pick<
  Container,
  | "from"
  | "withMountedCache"
  | "withEnvVariable"
  | "withWorkdir"
  | "withDirectory"
  | "withNewFile"
  | "directory"
  | "withExec"
  | "withSecretVariable"
  | "withServiceBinding"
  | "withExposedPort"
  | "withoutDockerHealthcheck"
  | "withMountedFile"
  | "asService"
  | "sync"
  | "exitCode"
  | "stdout"
  | "file"
  | "exists"
  | "entrypoint"
  | "defaultArgs"
>;
type DirectorySurface = Pick<Directory, "directory" | "filter" | "dockerBuild" | "withDirectory" | "withNewDirectory" | "changes">;
type FileSurface = Pick<File, "size" | "contents">;

/** What evaluations answer; a function decides per chain. */
export interface Script {
  /** Thrown by `sync()` of the prepared container. */
  syncError?: Error;
  /** Exit code of the check's command, per attempt (1st, 2nd…); thrown when an Error. */
  exits?: (number | Error)[];
  stdout?: string;
  stderr?: string;
  /** Size reported for output files (bytes). */
  outputSize?: number;
  /** stdout of the tail container. */
  tail?: string;
  /** stdout of the service-log reader (runtime.sh `logs`). */
  logs?: string;
  /** How long the command takes to answer (a command killed at its limit has run that long). */
  exitDelayMs?: number;
  /** The image's entrypoint and default args, for a service that runs its image's own command. */
  entrypoint?: string[];
  defaultArgs?: string[];
  /** What the command wrote as its start time (seconds since the epoch; "now": this moment); absent: no file. */
  started?: string;
}

export class Recorder {
  readonly evaluations: string[] = [];
  private attempt = 0;
  constructor(readonly script: Script = {}) {}
  nextExit(): number | Error {
    const exits = this.script.exits ?? [0];
    const value = exits[Math.min(this.attempt, exits.length - 1)] ?? 0;
    this.attempt += 1;
    return value;
  }
}

function show(value: unknown): string {
  if (value instanceof FakeDirectory || value instanceof FakeContainer || value instanceof FakeService || value instanceof FakeFile) return `<${value.chain}>`;
  if (value instanceof FakeSecret) return `secret(${value.name})`;
  if (value instanceof FakeCache) return `cache(${value.key})`;
  return JSON.stringify(value);
}

function call(chain: string, name: string, args: unknown[]): string {
  const rendered = `${name}(${args.filter((a) => a !== undefined).map(show).join(", ")})`;
  return chain === "" ? rendered : `${chain}.${rendered}`;
}

export class FakeSecret {
  constructor(readonly name: string) {}
}

export class FakeCache {
  constructor(readonly key: string) {}
}

export class FakeService {
  constructor(readonly chain: string) {}
}

export class FakeFile implements FileSurface {
  constructor(
    readonly chain: string,
    private readonly recorder: Recorder,
    private readonly text: string,
  ) {}
  async size(): Promise<number> {
    this.recorder.evaluations.push(`${this.chain}.size()`);
    return this.recorder.script.outputSize ?? Buffer.byteLength(this.text);
  }
  async contents(): Promise<string> {
    this.recorder.evaluations.push(`${this.chain}.contents()`);
    return this.text;
  }
}

export class FakeDirectory implements DirectorySurface {
  constructor(
    readonly chain: string,
    private readonly recorder: Recorder,
  ) {}
  directory(path: string): Directory {
    return new FakeDirectory(call(this.chain, "directory", [path]), this.recorder) as unknown as Directory;
  }
  filter(opts?: Parameters<Directory["filter"]>[0]): Directory {
    return new FakeDirectory(call(this.chain, "filter", [opts]), this.recorder) as unknown as Directory;
  }
  dockerBuild(opts?: Parameters<Directory["dockerBuild"]>[0]): Container {
    return new FakeContainer(call(this.chain, "dockerBuild", [opts]), this.recorder) as unknown as Container;
  }
  withDirectory(path: string, source: Directory): Directory {
    return new FakeDirectory(call(this.chain, "withDirectory", [path, source]), this.recorder) as unknown as Directory;
  }
  withNewDirectory(path: string, opts?: Parameters<Directory["withNewDirectory"]>[1]): Directory {
    return new FakeDirectory(call(this.chain, "withNewDirectory", [path, opts]), this.recorder) as unknown as Directory;
  }
  changes(from: Directory): Changeset {
    return { chain: call(this.chain, "changes", [from]) } as unknown as Changeset;
  }
}

export class FakeContainer implements ContainerSurface {
  constructor(
    readonly chain: string,
    private readonly recorder: Recorder,
  ) {}
  private next(name: string, ...args: unknown[]): Container {
    return new FakeContainer(call(this.chain, name, args), this.recorder) as unknown as Container;
  }
  from(address: string): Container {
    return this.next("from", address);
  }
  withMountedCache(path: string, cache: CacheVolume, opts?: Parameters<Container["withMountedCache"]>[2]): Container {
    if (opts === undefined) return this.next("withMountedCache", path, cache);
    const { source, ...rest } = opts;
    return this.next("withMountedCache", path, cache, ...(source !== undefined ? [source] : []), ...(Object.keys(rest).length > 0 ? [rest] : []));
  }
  withEnvVariable(name: string, value: string): Container {
    // The fresh-run marker is random: recorded by name only.
    return this.next("withEnvVariable", name, name === "PREDEPLOY_FRESH_RUN" ? "<uuid>" : value);
  }
  withWorkdir(path: string): Container {
    return this.next("withWorkdir", path);
  }
  withDirectory(path: string, source: Directory): Container {
    return this.next("withDirectory", path, source);
  }
  directory(path: string): Directory {
    return new FakeDirectory(call(this.chain, "directory", [path]), this.recorder) as unknown as Directory;
  }
  withNewFile(path: string, contents: string): Container {
    return this.next("withNewFile", path, contents.length > 40 ? `${contents.slice(0, 20)}…` : contents);
  }
  withExec(args: string[], opts?: Parameters<Container["withExec"]>[1]): Container {
    return this.next("withExec", args, opts);
  }
  withSecretVariable(name: string, secret: Secret): Container {
    return this.next("withSecretVariable", name, secret);
  }
  withServiceBinding(alias: string, service: Service): Container {
    return this.next("withServiceBinding", alias, service);
  }
  withExposedPort(port: number, opts?: Parameters<Container["withExposedPort"]>[1]): Container {
    return opts === undefined ? this.next("withExposedPort", port) : this.next("withExposedPort", port, opts);
  }
  withoutDockerHealthcheck(): Container {
    return this.next("withoutDockerHealthcheck");
  }
  withMountedFile(path: string, source: File): Container {
    return this.next("withMountedFile", path, source);
  }
  asService(opts?: Parameters<Container["asService"]>[0]): Service {
    return new FakeService(call(this.chain, "asService", [opts])) as unknown as Service;
  }
  async sync(): Promise<Container> {
    this.recorder.evaluations.push(`${this.chain}.sync()`);
    if (this.recorder.script.syncError) throw this.recorder.script.syncError;
    return this as unknown as Container;
  }
  async exitCode(): Promise<number> {
    this.recorder.evaluations.push(`${this.chain}.exitCode()`);
    if (this.recorder.script.exitDelayMs) await new Promise((resolve) => setTimeout(resolve, this.recorder.script.exitDelayMs));
    const exit = this.recorder.nextExit();
    if (exit instanceof Error) throw exit;
    return exit;
  }
  async stdout(): Promise<string> {
    this.recorder.evaluations.push(`${this.chain}.stdout()`);
    return (this.chain.includes('runtime.sh","logs"') ? this.recorder.script.logs : this.recorder.script.tail) ?? "";
  }
  file(path: string): File {
    const text = path.endsWith(".stdout") ? (this.recorder.script.stdout ?? "") : path.endsWith(".stderr") ? (this.recorder.script.stderr ?? "") : path.endsWith(".started") ? startedText(this.recorder.script.started) : "";
    return new FakeFile(call(this.chain, "file", [path]), this.recorder, text) as unknown as File;
  }
  /** An image's own entrypoint and default args: what the script says, else none. */
  async entrypoint(): Promise<string[]> {
    this.recorder.evaluations.push(`${this.chain}.entrypoint()`);
    return this.recorder.script.entrypoint ?? [];
  }
  async defaultArgs(): Promise<string[]> {
    this.recorder.evaluations.push(`${this.chain}.defaultArgs()`);
    return this.recorder.script.defaultArgs ?? [];
  }
  async exists(path: string): Promise<boolean> {
    this.recorder.evaluations.push(`${this.chain}.exists(${JSON.stringify(path)})`);
    return path.endsWith(".started") && this.recorder.script.started !== undefined;
  }
}

function startedText(started: string | undefined): string {
  return started === "now" ? `${Math.floor(Date.now() / 1000)}\n` : (started ?? "");
}

/** The engine (`dag`) and a source directory, both recording into `recorder`. */
export function fakeEngine(script: Script = {}): { recorder: Recorder; engine: Engine; source: Directory; secret: (name: string) => Secret } {
  const recorder = new Recorder(script);
  const engine: Engine = {
    container: () => new FakeContainer("", recorder) as unknown as Container,
    directory: () => new FakeDirectory("directory()", recorder) as unknown as Directory,
    cacheVolume: (key: string) => new FakeCache(key) as unknown as CacheVolume,
  };
  return { recorder, engine, source: new FakeDirectory("source", recorder) as unknown as Directory, secret: (name) => new FakeSecret(name) as unknown as Secret };
}

/** An ExecError shaped as the engine raises it. */
export function execError(cmd: string[], exitCode: number, stdout = "", stderr = "", message = `process "${cmd.join(" ")}" did not complete successfully: exit code: ${exitCode}`): ExecError {
  return new ExecError(message, { cmd, exitCode, stdout, stderr });
}
