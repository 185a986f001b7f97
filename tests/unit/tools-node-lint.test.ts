import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eslint } from "../../src/tools/eslint.js";
import { prettier } from "../../src/tools/prettier.js";
import { fixFor, npmSite, workspaceSite } from "../support/node-packages.js";

describe("prettier adoption", () => {
  test("declared and configured: adopted, saying both", () => {
    assert.deepEqual(prettier.adoption(npmSite(["astro", "prettier"], [".prettierrc"])), {
      adopted: true,
      by: "prettier is declared in sites/www/package.json and configured in sites/www/.prettierrc",
    });
  });

  test("declared without a configuration file: adopted (prettier's defaults)", () => {
    assert.deepEqual(prettier.adoption(npmSite(["prettier"], [])), { adopted: true, by: "prettier is declared in sites/www/package.json" });
  });

  test("configured but not declared: not adopted, as it is not installed in the package", () => {
    const adoption = prettier.adoption(npmSite(["astro"], ["prettier.config.mjs"]));
    assert.deepEqual(adoption, {
      adopted: false,
      why:
        "not adopted by this package: sites/www/prettier.config.mjs configures prettier, but prettier is not installed in the package " +
        "(not in sites/www/package.json dependencies or devDependencies); predeploy runs only the package's own prettier, never a download",
    });
  });

  test("neither: not adopted", () => {
    assert.deepEqual(prettier.adoption(npmSite(["astro"], [])), {
      adopted: false,
      why: "not adopted by this package: prettier is not in sites/www/package.json dependencies or devDependencies",
    });
  });

  test("a workspace member counts only its own manifest (a root-only declaration is out of scope)", () => {
    assert.equal(prettier.adoption(workspaceSite(["astro"], [])).adopted, false);
    assert.equal(prettier.adoption(workspaceSite(["prettier"], [])).adopted, true);
  });
});

describe("eslint adoption", () => {
  test("declared and configured (flat config): adopted, saying both", () => {
    assert.deepEqual(eslint.adoption(npmSite(["@eslint/js", "eslint"], ["eslint.config.js"])), {
      adopted: true,
      by: "eslint is declared in sites/www/package.json and configured in sites/www/eslint.config.js",
    });
  });

  test("a legacy .eslintrc.json counts as a configuration", () => {
    assert.deepEqual(eslint.adoption(npmSite(["eslint"], [".eslintrc.json"])), {
      adopted: true,
      by: "eslint is declared in sites/www/package.json and configured in sites/www/.eslintrc.json",
    });
  });

  test("declared without a configuration: not adopted, because eslint without one fails", () => {
    assert.deepEqual(eslint.adoption(npmSite(["eslint"], [])), {
      adopted: false,
      why:
        "not adopted by this package: eslint is declared in sites/www/package.json but not configured " +
        "(no eslint.config.js or .eslintrc* in sites/www), and eslint without a configuration fails",
    });
  });

  test("configured but not declared: not adopted, as it is not installed in the package", () => {
    const adoption = eslint.adoption(npmSite(["astro"], ["eslint.config.mjs"]));
    assert.equal(adoption.adopted, false);
    assert.match(adoption.adopted ? "" : adoption.why, /^not adopted by this package: sites\/www\/eslint\.config\.mjs configures eslint, but eslint is not installed in the package/);
  });

  test("neither: not adopted", () => {
    assert.deepEqual(eslint.adoption(workspaceSite([], [])), {
      adopted: false,
      why: "not adopted by this package: eslint is not in sites/www/package.json dependencies or devDependencies",
    });
  });
});

describe("prettier and eslint checks and commands", () => {
  test("check identity: a quality check per package, for workers and sites", () => {
    const pkg = npmSite(["eslint", "prettier"], ["eslint.config.js"]);
    assert.deepEqual(prettier.check(pkg.name, "site"), { id: "quality.prettier.www", stage: "quality", title: "prettier --check (www)" });
    assert.deepEqual(eslint.check(pkg.name, "worker"), { id: "quality.eslint.www", stage: "quality", title: "eslint (www)" });
    for (const tool of [prettier, eslint]) {
      assert.deepEqual(tool.packages, ["worker", "site"]);
      assert.equal(tool.parser, tool.program);
      assert.deepEqual(tool.caches, []);
    }
  });

  test("an npm package: its own install through npx --no, on its directory", () => {
    const pkg = npmSite(["eslint", "prettier"], ["eslint.config.js"]);
    assert.deepEqual(prettier.command(pkg, "dist", []), ["npx", "--no", "--", "prettier", "--check", "."]);
    assert.deepEqual(eslint.command(pkg, "dist", []), ["npx", "--no", "--", "eslint", "--format", "json", "."]);
  });

  test("a pnpm workspace member: from the workspace root, pnpm --dir runs it in the package, so the target is still '.'", () => {
    const pkg = workspaceSite(["eslint", "prettier"], ["eslint.config.js"]);
    assert.deepEqual(prettier.command(pkg, "dist", []), ["pnpm", "--dir", "sites/www", "exec", "prettier", "--check", "."]);
    assert.deepEqual(eslint.command(pkg, "dist", []), ["pnpm", "--dir", "sites/www", "exec", "eslint", "--format", "json", "."]);
  });
});

describe("prettier and eslint fixes", () => {
  test("an npm package: prettier --write / eslint --fix on the file, from the package", () => {
    const pkg = npmSite(["eslint", "prettier"], ["eslint.config.js"]);
    assert.equal(fixFor(prettier, pkg, "sites/www/src/ugly.js").line, "cd sites/www && npx --no -- prettier --write src/ugly.js");
    assert.equal(fixFor(eslint, pkg, "sites/www/src/bugs.js").line, "cd sites/www && npx --no -- eslint --fix src/bugs.js");
  });

  test("a workspace member: the root-relative file reaches the tool that pnpm runs in the package", () => {
    const pkg = workspaceSite(["eslint", "prettier"], ["eslint.config.js"]);
    // tests/integration/fix-command-shell.test.ts runs this line with a stand-in pnpm.
    assert.equal(fixFor(prettier, pkg, "sites/www/src/ugly.js").line, `sh -c 'file="$PWD/$1" && cd sites/www && exec pnpm exec prettier --write "$file"' sh sites/www/src/ugly.js`);
    assert.match(fixFor(eslint, pkg, "sites/www/src/bugs.js").line, /exec pnpm exec eslint --fix "\$file"' sh sites\/www\/src\/bugs\.js$/);
  });
});
