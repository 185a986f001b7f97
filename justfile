# predeploy: would this deploy succeed? `just --list` shows the recipes.
# Recipes with ARGS pass them on unchanged, e.g. `just pre-deploy --only quality.mypy --format agent`.

set positional-arguments

# List the recipes
default:
    @{{ just_executable() }} --justfile {{ quote(justfile()) }} --list

# Validate everything in Dagger and print the text report; exits non-zero unless it passed
pre-deploy *ARGS:
    dagger call pre-deploy "$@"

# Validate in Dagger, write the JSON report to FILE, then exit with its verdict (0 passed, 1 failed, 2 error)
pre-deploy-json FILE="predeploy-report.json":
    dagger call report --format json file export --path {{ quote(FILE) }}
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.exit(Number.isInteger(r.exitCode) ? r.exitCode : 2)' {{ quote(FILE) }}

# Validate before deploying to ENV: Doppler config ENV's secrets reach the module through .env (see .env.example)
deploy-validate ENV="dev":
    doppler run --config {{ENV}} -- dagger call pre-deploy

# After a deploy: probe environment ENV (environments.ENV in predeploy.json; ARGS e.g. --backend-url URL --worker-url intake=URL --settle-seconds 90)
smoke ENV *ARGS:
    shift; dagger call smoke --env {{ quote(ENV) }} "$@"

# Apply every safe fix in Dagger (ARGS: --include-unsafe for migrations), after showing the diff; then validate again
fix *ARGS:
    dagger call fix "$@"
    dagger call pre-deploy --format agent

# List the checks that would run, without running them
plan *ARGS:
    dagger call plan "$@"

# Run one check on its own, e.g. `just check quality.mypy`
check ID:
    dagger call check --id {{ quote(ID) }}

# Validate the example monorepo (examples/stack) in Dagger
demo *ARGS:
    dagger call --source examples/stack pre-deploy "$@"

# Validate the example monorepo with the local Docker harness (no Dagger engine needed)
demo-local *ARGS:
    npm run harness -- examples/stack "$@"

# Run the whole test suite (unit, host and container suites)
test:
    npm test

# Check the house rules and lint the GitHub workflows
lint:
    npm run lint

# Type-check the module, tests and scripts
typecheck:
    npm run typecheck

# Measure cold/warm wall time and concurrency gains on the example monorepo
bench:
    npm run bench
