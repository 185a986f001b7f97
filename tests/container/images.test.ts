/**
 * The base images scripts/images/build.sh provides (the registry's when a pull succeeds, else the
 * local stand-ins) hold up where real Dockerfiles lean on the official ones:
 * - python:3.13-slim: pip can upgrade and uninstall what it installed (and pip itself: nothing in
 *   site-packages lacks a RECORD); `adduser` is absent as in the official trixie image, `useradd`
 *   works and apt can add adduser; a C extension (uWSGI) builds against the headers and
 *   libpython, and still runs, as a non-root user, after `apt-get purge --auto-remove` of the
 *   build tools (libpython belongs to no Debian package).
 * - redis:7: `redis-server` by default, answering PING from another container on the network,
 *   also when started as an arbitrary user.
 * Images are built with BuildKit (/usr/bin/docker, DOCKER_BUILDKIT=1), as the harness builds
 * projects' Dockerfiles. Everything created here is removed at the end.
 * Run: node --import tsx --test tests/container/images.test.ts
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { docker, type DockerResult } from "../harness/docker-cli.js";
import { skipWithoutEngine } from "./engine.js";

const PYTHON = "python:3.13-slim";
const REDIS = "redis:7";
/** Debian's docker.io client has BuildKit built in; the newer client on PATH has no buildx. */
const BUILDKIT_CLIENT = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const RUN_ID = `predeploy-images-test-${randomUUID().slice(0, 8)}`;

/** One stage per behaviour, each FROM the image under test, built with --target. */
const DOCKERFILE = `
FROM ${PYTHON} AS pip-record
RUN pip install --no-cache-dir --upgrade packaging==24.2 \\
 && python -c "import packaging; assert packaging.__version__ == '24.2', packaging.__version__" \\
 && pip uninstall -y packaging

FROM ${PYTHON} AS users
RUN useradd --create-home app
RUN apt-get update \\
 && apt-get install -y --no-install-recommends adduser \\
 && rm -rf /var/lib/apt/lists/* \\
 && adduser --disabled-password --gecos "" app2

FROM ${PYTHON} AS uwsgi
RUN apt-get update \\
 && apt-get install -y --no-install-recommends build-essential \\
 && pip install --no-cache-dir uwsgi==2.0.28 \\
 && apt-get purge -y --auto-remove build-essential \\
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
USER app
RUN uwsgi --version
`;

function output(result: DockerResult): string {
  return `exit ${result.code}\n${result.stdout}\n${result.stderr}`.trim().slice(-4000);
}

/** `docker run --rm IMAGE ARGS…` (options may precede the image in `args`). */
async function run(args: string[]): Promise<DockerResult> {
  return docker(["run", "--rm", ...args]);
}

async function runOk(args: string[]): Promise<string> {
  const result = await run(args);
  assert.equal(result.code, 0, `docker run ${args.join(" ")}\n${output(result)}`);
  return result.stdout.trim();
}

describe("python:3.13-slim as real Dockerfiles use it", () => {
  let context: string | undefined;
  const built: string[] = [];

  before(async () => {
    if (skipWithoutEngine) return;
    const present = await docker(["image", "inspect", "--format", "{{.Id}}", PYTHON]);
    assert.equal(present.code, 0, `${PYTHON} is missing: run scripts/images/build.sh first\n${output(present)}`);
    context = await mkdtemp(join(tmpdir(), "predeploy-images-test-"));
    await writeFile(join(context, "Dockerfile"), DOCKERFILE);
  });

  after(async () => {
    if (skipWithoutEngine) return;
    if (built.length > 0) await docker(["image", "rm", "-f", ...built]);
    if (context !== undefined) await rm(context, { recursive: true, force: true });
  });

  /** Builds one stage of DOCKERFILE; fails the test with the build's output if it fails. */
  async function buildStage(stage: string): Promise<string> {
    const tag = `${RUN_ID}-${stage}`;
    assert.ok(context !== undefined);
    const result = await docker(["build", "--progress=plain", "--target", stage, "-t", tag, context], {
      program: BUILDKIT_CLIENT,
      env: { DOCKER_BUILDKIT: "1" },
    });
    if (result.code === 0) built.push(tag);
    assert.equal(result.code, 0, `building stage ${stage} FROM ${PYTHON} failed\n${output(result)}`);
    return tag;
  }

  test("site-packages holds pip alone, and pip can uninstall it", { skip: skipWithoutEngine }, async () => {
    assert.match(await runOk([PYTHON, "python", "-m", "pip", "list", "--format=freeze"]), /^pip==[0-9.]+$/);
    assert.equal(await runOk([PYTHON, "sh", "-c", "pip uninstall -y pip >/dev/null && ! python -m pip --version 2>/dev/null && echo gone"]), "gone");
  });

  test("pip install --upgrade packaging==24.2, then pip uninstall -y packaging", { skip: skipWithoutEngine, timeout: 300_000 }, async () => {
    const image = await buildStage("pip-record");
    assert.match(await runOk([image, "python", "-m", "pip", "list", "--format=freeze"]), /^pip==[0-9.]+$/, "packaging was not uninstalled");
  });

  test("no adduser, as in the official trixie image; useradd works, and adduser once apt installs it", { skip: skipWithoutEngine, timeout: 300_000 }, async () => {
    // debian:trixie-slim (the official image's base) no longer ships adduser; bookworm-slim did.
    assert.equal(await runOk([PYTHON, "sh", "-c", "command -v adduser || echo absent"]), "absent");
    const image = await buildStage("users");
    assert.equal(await runOk(["--user", "app", image, "sh", "-c", 'id -un; echo "$HOME"']), "app\n/home/app");
    assert.equal(await runOk(["--user", "app2", image, "id", "-un"]), "app2");
  });

  test(
    "uWSGI 2.0.28 builds against Python.h and libpython, and runs as app after apt-get purge --auto-remove build-essential",
    { skip: skipWithoutEngine, timeout: 900_000 },
    async () => {
      const image = await buildStage("uwsgi");
      assert.equal(await runOk(["--user", "app", image, "uwsgi", "--version"]), "2.0.28");
      const report = await runOk([
        image,
        "sh",
        "-c",
        'command -v gcc || echo "no gcc"; ldd "$(command -v uwsgi)" | grep libpython; dpkg -S /usr/local/lib/libpython3.13.so.1.0 2>/dev/null || echo "libpython: no package"',
      ]);
      const [gcc, libpython, owner] = report.split("\n");
      assert.equal(gcc, "no gcc", "the purge left the compiler behind");
      assert.match(libpython ?? "", /libpython3\.13\.so\.1\.0 => \/usr\/local\/lib\/libpython3\.13\.so\.1\.0/);
      assert.equal(owner, "libpython: no package");
    },
  );
});

describe("redis:7 as compose files use it", () => {
  const network = `${RUN_ID}-net`;
  const containers: string[] = [];

  before(async () => {
    if (skipWithoutEngine) return;
    const present = await docker(["image", "inspect", "--format", "{{.Id}}", REDIS]);
    assert.equal(present.code, 0, `${REDIS} is missing: run scripts/images/build.sh first\n${output(present)}`);
    const created = await docker(["network", "create", network]);
    assert.equal(created.code, 0, output(created));
  });

  after(async () => {
    if (skipWithoutEngine) return;
    if (containers.length > 0) await docker(["rm", "-f", "-v", ...containers]);
    await docker(["network", "rm", network]);
  });

  /** Starts redis:7 on the network under `alias`, then PINGs it from a second container until PONG (30s at most). */
  async function startAndPing(alias: string, options: string[]): Promise<void> {
    const name = `${RUN_ID}-${alias}`;
    const started = await docker(["run", "-d", "--name", name, "--network", network, "--network-alias", alias, ...options, REDIS]);
    if (started.code === 0) containers.push(name);
    assert.equal(started.code, 0, output(started));
    const deadline = Date.now() + 30_000;
    let last: DockerResult;
    for (;;) {
      last = await run(["--network", network, REDIS, "redis-cli", "-h", alias, "ping"]);
      if (last.code === 0 && last.stdout.trim() === "PONG") return;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    const logs = await docker(["logs", name]);
    assert.fail(`redis-cli -h ${alias} ping did not answer PONG within 30s\n${output(last)}\nserver log:\n${output(logs)}`);
  }

  test("runs redis-server by default and exposes 6379", { skip: skipWithoutEngine }, async () => {
    const inspected = await docker(["image", "inspect", "--format", "{{json .Config.Cmd}} {{json .Config.ExposedPorts}}", REDIS]);
    assert.equal(inspected.code, 0, output(inspected));
    assert.equal(inspected.stdout.trim(), '["redis-server"] {"6379/tcp":{}}');
  });

  test("answers PING from another container on the network", { skip: skipWithoutEngine, timeout: 120_000 }, async () => {
    await startAndPing("cache", []);
  });

  test("answers PING when started as an arbitrary user", { skip: skipWithoutEngine, timeout: 120_000 }, async () => {
    await startAndPing("cache-user", ["--user", "12345:12345"]);
  });
});
