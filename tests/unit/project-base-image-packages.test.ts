import assert from "node:assert/strict";
import { test } from "node:test";
import { basePackagesOf } from "../../src/project/base-image-packages.js";
import { dockerfileFacts } from "../../src/project/dockerfile-facts.js";

test("a full python image's build libraries reach the checks; slim, alpine and other images bring none", () => {
  for (const image of ["python", "python:3.12", "python:3.12.4", "python:3.13-bookworm", "docker.io/library/python:3.12@sha256:abc", "buildpack-deps:trixie"]) {
    assert.ok(basePackagesOf([image]).includes("libpq-dev"), image);
  }
  for (const image of ["python:3.12-slim", "python:3.13-slim-bookworm", "python:3.12-alpine3.20", "node:22", "ghcr.io/astral-sh/uv:python3.13-bookworm-slim", "mypython:3.12"]) {
    assert.deepEqual(basePackagesOf([image]), [], image);
  }
});

test("the Dockerfile's base images, every stage's, with the global ARGs they name", () => {
  const facts = dockerfileFacts(
    ["ARG PYTHON_VERSION=3.12", "FROM python:${PYTHON_VERSION} AS build", "RUN pip wheel -r requirements.txt", "FROM python:${PYTHON_VERSION}-slim", "COPY --from=build /wheels /wheels", "FROM build AS test"].join("\n"),
    "Dockerfile",
    undefined,
  );
  assert.deepEqual(facts?.baseImages, ["python:3.12", "python:3.12-slim"]);
});
