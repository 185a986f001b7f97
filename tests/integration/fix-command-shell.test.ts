import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { prettier } from "../../src/tools/prettier.js";
import { fixFor, workspaceSite } from "../support/node-packages.js";

/** A workspace member's fix command, run by the host's shell with a stand-in pnpm that prints where it runs and what it gets. */
test("a workspace member's fix: the root-relative file reaches the tool that pnpm runs in the package", () => {
  const { argv } = fixFor(prettier, workspaceSite(["eslint", "prettier"], ["eslint.config.js"]), "sites/www/src/ugly.js");
  const root = mkdtempSync(join(tmpdir(), "predeploy-fix-"));
  try {
    mkdirSync(join(root, "sites/www/src"), { recursive: true });
    mkdirSync(join(root, "bin"));
    writeFileSync(join(root, "bin/pnpm"), '#!/bin/sh\necho "$PWD|$*"\n');
    chmodSync(join(root, "bin/pnpm"), 0o755);
    const env = { ...process.env, PATH: `${join(root, "bin")}:${process.env.PATH ?? ""}` };
    const [command = "", ...args] = argv;
    const printed = execFileSync(command, args, { cwd: root, env, encoding: "utf8" }).trim();
    assert.equal(printed, `${join(root, "sites/www")}|exec prettier --write ${join(root, "sites/www/src/ugly.js")}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
