import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Finding, type CheckResult } from "../../src/model/report.js";
import { djangoDiagnosis } from "../../src/parse/django-check.js";
import { buildResult } from "../../src/run/result.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import type { Capture } from "../support/captures.js";

/**
 * build.backend-image failing inside the built image, captured on Docker from mutated copies of
 * examples/agency (tests/fixtures/image-diagnosis, see capture.ts), through the one result
 * builder: the summary is django.sh's diagnosis — which Python, how the image's own command
 * starts, what to change — and the finding keeps the exception beside it.
 */

const FIXTURES = join(import.meta.dirname, "../fixtures/image-diagnosis");
const LIMITS = { logTailBytes: 16_384, logTailLines: 200, maxFindings: 200 };

function judge(name: string, status: CheckResult["status"] = "failed"): { result: CheckResult; capture: Capture } {
  const capture = JSON.parse(readFileSync(join(FIXTURES, name, "build.backend-image.json"), "utf8")) as Capture;
  const container = { ...containerSpec("image"), base: { kind: "dockerfile" as const, context: ".", dockerfile: capture.dockerfile ?? "Dockerfile" } };
  const spec = checkSpec("build.backend-image", { parser: capture.parser, pathBase: capture.pathBase, container, timeoutMs: 600_000 });
  const { dockerfile: _dockerfile, parser: _parser, pathBase: _pathBase, ...execution } = capture;
  const result = buildResult({ spec, outcome: { kind: "ran", execution }, durationMs: 1_000 }, { secrets: [], limits: LIMITS, reproduce: (check) => check });
  for (const finding of result.findings) Finding.parse(finding);
  assert.equal(result.status, status, result.summary);
  assert.equal(result.findings.length, 1);
  const diagnosis = djangoDiagnosis(capture.stderr);
  assert.ok(diagnosis !== null, "django.sh explained the failure");
  assert.ok(diagnosis.startsWith(result.summary.replace(/…$/, "")), "the summary is the diagnosis (cut where it is long)");
  const message = result.findings[0]?.message ?? "";
  assert.ok(message === diagnosis || message.endsWith(`\n${diagnosis}`), "the finding keeps all of it (after the exception, when there is one)");
  return { result, capture };
}

test("the project is a package the image's venv lacks, and its CMD is a syncing `uv run`: install it in the image", () => {
  const { result } = judge("project-not-installed");
  assert.equal(
    result.summary,
    "the image's venv /app/.venv lacks the project itself (/app/src/agency_core): the image's CMD `uv run gunicorn config.wsgi:application …` would install it at start-up, over the network: install it in the image (`uv sync --frozen` without `--no-install-project`) and start with `uv run --no-sync`.",
  );
  assert.equal(result.findings[0]?.rule, "ModuleNotFoundError");
  assert.match(result.findings[0]?.message ?? "", /^ModuleNotFoundError: No module named 'agency_core'\n/);
});

test("a package the settings import is in no dependency: the image's requirements or lockfile lack it", () => {
  const { result } = judge("module-missing");
  assert.equal(
    result.summary,
    "/app/.venv/bin/python has no module 'markdown': add the package that provides it to the image's requirements or lockfile, as a runtime dependency. The backend starts with the image's CMD `uv run --no-sync gunicorn config.wsgi:application …`.",
  );
  assert.equal(result.findings[0]?.rule, "ModuleNotFoundError");
});

test("settings that need a variable the deployment sets and predeploy was not given name it (django-environ): predeploy's error, not the project's failure", () => {
  const { result, capture } = judge("env-missing", "error");
  assert.match(capture.stdout, /Automatic imports are disabled since settings are not configured/, "Django's shell carried on");
  assert.match(capture.stderr, /^predeploy: unset: SENTRY_DSN$/m);
  assert.equal(
    result.summary,
    'the settings need the environment variable SENTRY_DSN, which the deployment sets and predeploy was not given: set it in predeploy.json "env" (a credential: pass it as a secret). Python: /app/.venv/bin/python. The backend starts with the image\'s CMD `uv run --no-sync gunicorn config.wsgi:application…',
  );
  assert.equal(result.findings[0]?.rule, "django.core.exceptions.ImproperlyConfigured");
});

test("no Python in the image has Django, and its CMD would sync at start-up: say so first, then what was tried", () => {
  const { result } = judge("no-django");
  assert.match(result.summary, /^no Python in the image imports Django: the image's CMD `uv run gunicorn config\.wsgi:application …` would install the dependencies at start-up, over the network: install them in the image \(`uv sync --frozen --no-dev`\) and start with `uv run --no-sync`\. Tried: /);
  // No traceback: uv could not even make a venv (the image's user may not write /app).
  assert.equal(result.findings[0]?.rule, "django-setup");
  assert.match(result.findings[0]?.message ?? "", /Tried: uv run --no-sync python, \/usr\/bin\/python3, \/usr\/bin\/python; not found: \$VIRTUAL_ENV, \$UV_PROJECT_ENVIRONMENT, \.venv\.$/);
});
