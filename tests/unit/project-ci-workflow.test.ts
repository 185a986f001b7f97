import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readCiTestJobs, type CiTestJob } from "../../src/project/ci-workflow.js";
import { MemoryTree } from "../support/host-tree.js";

// Workflows shaped like the test jobs of public Django repositories (cookiecutter-django, saleor,
// kobotoolbox/kpi, weblate, healthchecks), written for these tests.

async function jobsOf(files: Record<string, string>): Promise<CiTestJob[]> {
  const { jobs, problems } = await readCiTestJobs(new MemoryTree(files));
  assert.deepEqual(problems, []);
  return jobs;
}

const COOKIECUTTER = `name: CI

on:
  pull_request:
    branches: ['master', 'main']

concurrency:
  group: \${{ github.head_ref || github.run_id }}
  cancel-in-progress: true

jobs:
  linter:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Run pre-commit
        run: pip install pre-commit && pre-commit run --all-files

  pytest:
    runs-on: ubuntu-latest
    services:
      redis:
        image: redis:7.2
        ports:
          - 6379:6379
      postgres:
        image: postgres:16
        ports:
          - 5432:5432
        env:
          POSTGRES_PASSWORD: postgres

    env:
      REDIS_URL: 'redis://localhost:6379/0'
      POSTGRES_USER: 'postgres'
      POSTGRES_PASSWORD: 'postgres'
      POSTGRES_HOST: 'localhost'
      POSTGRES_DB: 'postgres'

    steps:
      - uses: actions/checkout@v4
      - name: Install test requirements
        run: pip install -r requirements/local.txt pytest pytest-django
      - name: Check DB migrations
        run: python manage.py makemigrations --check
      - name: Test with pytest
        run: pytest
`;

test("cookiecutter's pytest job: redis and postgres services on localhost ports, the job's env; a job without tests is no test job", async () => {
  assert.deepEqual(await jobsOf({ ".github/workflows/ci.yml": COOKIECUTTER }), [
    {
      file: ".github/workflows/ci.yml",
      job: "pytest",
      services: [
        {
          name: "redis",
          image: "redis:7.2",
          build: null,
          environment: {},
          ports: [6379],
          command: null,
          entrypoint: null,
          healthcheck: null,
          dependsOn: [],
          from: { file: ".github/workflows/ci.yml", line: 22 },
        },
        {
          name: "postgres",
          image: "postgres:16",
          build: null,
          environment: { POSTGRES_PASSWORD: "postgres" },
          ports: [5432],
          command: null,
          entrypoint: null,
          healthcheck: null,
          dependsOn: [],
          from: { file: ".github/workflows/ci.yml", line: 26 },
        },
      ],
      env: { REDIS_URL: "redis://localhost:6379/0", POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "postgres", POSTGRES_HOST: "localhost", POSTGRES_DB: "postgres" },
      omitted: [],
      inContainer: false,
      pythonVersion: null,
      run: "pytest",
      from: { file: ".github/workflows/ci.yml", line: 47 },
    },
  ]);
});

test("saleor's container job: workflow-level DATABASE_URL naming the service by its name, a folded --health-cmd", async () => {
  const workflow = `name: Pytest

on: [pull_request]

env:
  BENCH_PATH: ./queries-results.json
  DATABASE_URL: "postgres://shop:shop@postgres:5432/shop"
  SECRET_KEY: ci-test

jobs:
  build:
    runs-on: ubuntu-latest
    container: python:3.12

    services:
      postgres:
        image: postgres
        env:
          POSTGRES_PASSWORD: shop
          POSTGRES_USER: shop
        options: >-
          --health-cmd pg_isready
          --health-interval 10s
          --health-timeout 5s
          --health-retries 5

    steps:
      - uses: actions/checkout@v4
      - name: Run tests
        run: |
          pytest -n 0 --django-db-bench=\${{ env.BENCH_PATH }}
`;
  const [job] = await jobsOf({ ".github/workflows/pytest.yml": workflow });
  assert.ok(job);
  assert.equal(job.inContainer, true);
  assert.deepEqual(job.env, { BENCH_PATH: "./queries-results.json", DATABASE_URL: "postgres://shop:shop@postgres:5432/shop", SECRET_KEY: "ci-test" });
  assert.equal(job.run, "pytest -n 0 --django-db-bench=${{ env.BENCH_PATH }}");
  assert.deepEqual(job.from, { file: ".github/workflows/pytest.yml", line: 30 });
  assert.deepEqual(
    job.services.map((s) => [s.name, s.image, s.ports, s.environment, s.healthcheck]),
    [["postgres", "postgres", [], { POSTGRES_PASSWORD: "shop", POSTGRES_USER: "shop" }, { command: "pg_isready", path: null, port: null }]],
  );
});

test("kpi's job: a PostGIS image, a redis service named redis_cache with a quoted flow port, a one-line --health-cmd", async () => {
  const workflow = `name: pytest
on:
  push:
jobs:
  build:
    runs-on: ubuntu-22.04
    env:
      DATABASE_URL: postgis://survey:survey@localhost:5432/survey_test
      DJANGO_SECRET_KEY: notSecretJustForTesting
      DJANGO_SETTINGS_MODULE: survey.settings.testing
      REDIS_SESSION_URL: redis://localhost:6379
    strategy:
      matrix:
        python-version: ['3.10']
    services:
      postgres:
        image: postgis/postgis:14-3.4
        env:
          POSTGRES_USER: survey
          POSTGRES_PASSWORD: survey
          POSTGRES_DB: survey_test
        ports:
          - 5432:5432
        options: --health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5
      redis_cache:
        image: redis:6.2
        ports: ["6379/tcp"]
    steps:
    - uses: actions/checkout@v4
    - name: Set up Python \${{ matrix.python-version }}
      uses: actions/setup-python@v5
    - name: Run pytest
      run: python -m pytest -vv -rf --disable-warnings
`;
  const [job] = await jobsOf({ ".github/workflows/pytest.yml": workflow });
  assert.ok(job);
  assert.equal(job.inContainer, false);
  assert.equal(job.env.DATABASE_URL, "postgis://survey:survey@localhost:5432/survey_test");
  assert.deepEqual(
    job.services.map((s) => [s.name, s.image, s.ports, s.healthcheck?.command ?? null]),
    [
      ["postgres", "postgis/postgis:14-3.4", [5432], "pg_isready"],
      ["redis_cache", "redis:6.2", [6379], null],
    ],
  );
});

test("weblate's job: digest-pinned images, services named database and cache, a quoted --health-cmd, a .yaml workflow", async () => {
  const workflow = `name: Test
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    env:
      CI_REDIS_HOST: 127.0.0.1
      CI_REDIS_PORT: '6379'
      CI_DB_PASSWORD: translate
      CI_DB_HOST: 127.0.0.1
      CI_DB_PORT: '5432'
      DJANGO_SETTINGS_MODULE: translate.settings_test
    services:
      database:
        image: postgres:17.2-alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        env:
          POSTGRES_USER: postgres
          POSTGRES_PASSWORD: translate
        ports:
        - 5432:5432
      cache:
        image: valkey/valkey:8.0-alpine@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
        ports:
        - 6379:6379
        options: >-
          --health-cmd "redis-cli ping"
          --health-interval 10s
    steps:
    - uses: actions/checkout@v4
    - name: Test
      run: uv run --frozen pytest --numprocesses=auto --junitxml=junit.xml
`;
  const [job] = await jobsOf({ ".github/workflows/test.yaml": workflow, ".github/workflows/README.md": "not a workflow" });
  assert.ok(job);
  assert.equal(job.file, ".github/workflows/test.yaml");
  assert.equal(job.env.CI_DB_PORT, "5432");
  assert.deepEqual(
    job.services.map((s) => [s.name, s.image, s.ports, s.healthcheck?.command ?? null]),
    [
      ["database", "postgres:17.2-alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", [5432], null],
      ["cache", "valkey/valkey:8.0-alpine@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", [6379], "redis-cli ping"],
    ],
  );
});

test("expressions are no literals: a step's secrets and matrix values, a service's secret and matrix image, left out and named", async () => {
  const workflow = `on: push
env:
  SECRET_KEY: dummy-key
jobs:
  tests:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        db: [sqlite, postgres, mysql]
        search-image: ["opensearchproject/opensearch:2", ""]
    env:
      DB: sqlite
      DEBUG: true
    services:
      mysql:
        image: mysql:8.4
        env:
          MYSQL_ROOT_PASSWORD: \${{ secrets.MYSQL_ROOT_PASSWORD }}
          MYSQL_DATABASE: checks
        ports: [3306]
        options: --health-cmd="mysqladmin ping" --health-interval=10s --health-timeout=5s
      search:
        image: \${{ matrix.search-image }}
        ports:
          - 9200
    steps:
      - uses: actions/checkout@v4
      - name: Run Tests
        env:
          DB: \${{ matrix.db }}
          DB_USER: \${{ matrix.db_user }}
          SENTRY_DSN: \${{ secrets.SENTRY_DSN }}
          DEBUG: false
        run: python manage.py test
`;
  const [job] = await jobsOf({ ".github/workflows/tests.yml": workflow });
  assert.ok(job);
  assert.deepEqual(job.env, { SECRET_KEY: "dummy-key", DEBUG: "false" });
  assert.deepEqual(new Set(job.omitted), new Set(["DB", "DB_USER", "SENTRY_DSN", "services.mysql.env.MYSQL_ROOT_PASSWORD", "services.search.image"]));
  assert.deepEqual(
    job.services.map((s) => [s.name, s.environment, s.ports, s.healthcheck?.command ?? null]),
    [["mysql", { MYSQL_DATABASE: "checks" }, [3306], "mysqladmin ping"]],
  );
});

test("a later literal overrides an earlier expression, and the name is no longer omitted", async () => {
  const workflow = `on: push
env:
  DATABASE_URL: \${{ secrets.DATABASE_URL }}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: tox -e py312
        env:
          DATABASE_URL: sqlite:///test.db
`;
  const [job] = await jobsOf({ ".github/workflows/tox.yml": workflow });
  assert.deepEqual([job?.env, job?.omitted], [{ DATABASE_URL: "sqlite:///test.db" }, []]);
});

test("test commands are recognised where they start a command, not where they are installed or run through compose", async () => {
  const detected = async (run: string) => (await jobsOf({ ".github/workflows/t.yml": `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(run)}\n` })).length === 1;
  const tests = [
    "pytest",
    "py.test tests/",
    "python -m pytest -x",
    "python3.12 -m pytest",
    "uv run --frozen pytest",
    "poetry run python manage.py test",
    "./manage.py test --parallel",
    "python src/manage.py test",
    "cd backend && coverage run -m pytest",
    "python -m coverage run manage.py test",
    "tox -e py312",
    "nox -s tests",
    "make test",
    "DJANGO_SETTINGS_MODULE=app.settings.test pytest",
    "set -e\npip install -r requirements.txt\npytest --cov",
  ];
  const notTests = [
    "pip install pytest pytest-django",
    "pip install tox",
    "docker compose -f docker-compose.local.yml run django pytest",
    "echo pytest",
    "python manage.py makemigrations --check",
    "make test-docker",
    "pre-commit run --all-files",
  ];
  for (const run of tests) assert.equal(await detected(run), true, run);
  for (const run of notTests) assert.equal(await detected(run), false, run);
});

test("a workflow with no test step gives no job; only the first test step of a job counts", async () => {
  const deploy = `on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: superfly/flyctl-actions/setup-flyctl@master
      - run: flyctl deploy --remote-only -c fly.production.toml
`;
  const twice = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pytest tests/unit
      - run: pytest tests/integration
`;
  const jobs = await jobsOf({ ".github/workflows/deploy.yml": deploy, ".github/workflows/test.yml": twice, ".github/workflows/reusable.yml": "on: push\njobs:\n  call:\n    uses: ./.github/workflows/test.yml\n" });
  assert.deepEqual(
    jobs.map((j) => [j.file, j.job, j.run, j.from.line]),
    [[".github/workflows/test.yml", "test", "pytest tests/unit", 6]],
  );
});

test("an invalid workflow: a problem with the file and its line; the other workflows still read", async () => {
  const broken = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pytest
     - run: pytest --migrations
`;
  const { jobs, problems } = await readCiTestJobs(new MemoryTree({ ".github/workflows/broken.yml": broken, ".github/workflows/ci.yml": COOKIECUTTER }));
  assert.deepEqual(
    jobs.map((j) => j.file),
    [".github/workflows/ci.yml"],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? "", /^\.github\/workflows\/broken\.yml: not valid YAML at line 7 \(.+\); fix it so GitHub Actions can run the workflow$/);
});

test("no .github/workflows: no jobs, no problems", async () => {
  assert.deepEqual(await readCiTestJobs(new MemoryTree({ "manage.py": "" })), { jobs: [], problems: [] });
});

test("property: the CI reader never throws on arbitrary text", async () => {
  const fragments = [
    ...COOKIECUTTER.split("\n"),
    "        options: --health-cmd",
    "        ports: [{a: 1}, null, '99999', 'x:y']",
    "      env: ${{ fromJSON(inputs.env) }}",
    "    services: ${{ matrix.services }}",
    "    container: ''",
    "      - run: 42",
    "a: &x [1]\nb: *x\nc: *y",
    "__proto__: x",
  ];
  const line = fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: "binary", maxLength: 60 }));
  const text = fc.array(line, { maxLength: 40 }).map((lines) => lines.join("\n"));
  await fc.assert(
    fc.asyncProperty(text, text, async (ci, other) => {
      const { jobs, problems } = await readCiTestJobs(new MemoryTree({ ".github/workflows/ci.yml": ci, ".github/workflows/other.yaml": other }));
      assert.ok(problems.length <= 2);
      for (const job of jobs) assert.equal(typeof job.run, "string");
    }),
    { numRuns: 300 },
  );
});

test("the main test job comes first: the test runner itself before make/tox, a narrow suite (end-to-end, migrations) last, whatever the file order", async () => {
  const job = (name: string, run: string) => `jobs:\n  ${name}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`;
  const jobs = await jobsOf({
    ".github/workflows/e2e.yml": job("e2e-tests", 'uv run pytest -m "e2e"'),
    ".github/workflows/lint-rules.yml": job("main", "make test"),
    ".github/workflows/migrations-compat.yml": job("build", "uv run pytest -n 0 --reuse-db"),
    ".github/workflows/tests.yaml": job("unit", 'uv run pytest -m "not e2e" -n logical'),
    ".github/workflows/zz-browser.yml": job("playwright", "pytest tests/browser"),
  });
  assert.deepEqual(
    jobs.map((j) => `${j.file.split("/").pop()}:${j.job}`),
    ["tests.yaml:unit", "lint-rules.yml:main", "e2e.yml:e2e-tests", "migrations-compat.yml:build", "zz-browser.yml:playwright"],
  );
});
