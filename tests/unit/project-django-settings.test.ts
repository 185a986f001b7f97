import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readDjangoSettings } from "../../src/project/django-settings.js";
import { MemoryTree } from "../support/host-tree.js";

const lines = (...text: string[]) => `${text.join("\n")}\n`;
const read = (files: Record<string, string>, module: string, roots: string[] = ["."]) => readDjangoSettings(new MemoryTree(files), module, roots);

const cookiecutterBase = lines(
  '"""Settings shared by every environment."""',
  "import os",
  "from pathlib import Path",
  "",
  "import environ",
  "",
  "ROOT = Path(__file__).resolve(strict=True).parent.parent.parent",
  "env = environ.Env()",
  "",
  'if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):',
  '    env.read_env(str(ROOT / ".env"))',
  "",
  'DEBUG = env.bool("DJANGO_DEBUG", False)',
  "",
  "# The whole URL when there is one, else its parts.",
  'if os.getenv("DATABASE_URL", default=None):',
  '    DATABASES = {"default": env.db("DATABASE_URL")}',
  "else:",
  "    DATABASES = {",
  '        "default": {',
  '            "ENGINE": "django.db.backends.postgresql",',
  '            "NAME": env.str("POSTGRES_DB"),',
  '            "USER": env.str("POSTGRES_USER"),',
  '            "PASSWORD": env.str("POSTGRES_PASSWORD"),',
  '            "HOST": env.str("POSTGRES_HOST", default="postgres"),',
  '            "PORT": env.str("POSTGRES_PORT", default="5432"),',
  "        },",
  "    }",
  'DATABASES["default"]["ATOMIC_REQUESTS"] = True',
  "",
  'REDIS_URL = env("REDIS_URL", default="redis://redis:6379/0")',
  'REDIS_SSL = REDIS_URL.startswith("rediss://")',
  "CELERY_BROKER_URL = REDIS_URL",
);

const cookiecutter = {
  "config/settings/base.py": cookiecutterBase,
  "config/settings/production.py": lines(
    "from .base import *  # noqa: F403",
    "from .base import DATABASES",
    "from .base import env",
    "",
    'SECRET_KEY = env("DJANGO_SECRET_KEY")',
    'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["shop.example.com"])',
    'DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)',
    "CACHES = {",
    '    "default": {',
    '        "BACKEND": "django_redis.cache.RedisCache",',
    '        "LOCATION": REDIS_URL,',
    '        "OPTIONS": {"IGNORE_EXCEPTIONS": True},',
    "    },",
    "}",
    'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
    'SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)',
  ),
  "config/settings/test.py": lines("from .base import *", "from .base import env", "", 'SECRET_KEY = env("DJANGO_SECRET_KEY", default="test")', "SECURE_SSL_REDIRECT = False"),
};

test("cookiecutter-style settings: DATABASE_URL when set, else POSTGRES_* parts with the postgresql engine; production's hosts, cache and https redirect", async () => {
  const facts = await read(cookiecutter, "config.settings.production");
  assert.ok(facts);
  assert.equal(facts.engine, "postgresql", "with no DATABASE_URL the POSTGRES_* branch configures the database");
  assert.deepEqual(facts.databaseUrlVars, ["DATABASE_URL"]);
  assert.deepEqual(facts.databaseParts, { host: ["POSTGRES_HOST"], port: ["POSTGRES_PORT"], name: ["POSTGRES_DB"], user: ["POSTGRES_USER"], password: ["POSTGRES_PASSWORD"], engine: [] });
  assert.equal(facts.urlScheme, null);
  assert.deepEqual(facts.allowedHostsVars, ["DJANGO_ALLOWED_HOSTS"]);
  assert.deepEqual(facts.cacheVars, ["REDIS_URL"]);
  assert.deepEqual(
    [...facts.envRead].sort(),
    ["CONN_MAX_AGE", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_READ_DOT_ENV_FILE", "DJANGO_SECRET_KEY", "DJANGO_SECURE_SSL_REDIRECT", "POSTGRES_DB", "POSTGRES_HOST", "POSTGRES_PASSWORD", "POSTGRES_PORT", "POSTGRES_USER", "REDIS_URL"],
  );
  assert.equal(facts.sslRedirect, true);
  assert.deepEqual(facts.files, [
    { file: "config/settings/production.py", line: null },
    { file: "config/settings/base.py", line: null },
  ]);
  const testing = await read(cookiecutter, "config.settings.test");
  assert.equal(testing?.sslRedirect, false);
  assert.deepEqual(testing?.allowedHostsVars, []);
  assert.equal(await read(cookiecutter, "config.settings.missing"), null);
});

test("bakerydemo-style settings: dj_database_url.config when DATABASE_URL is set, a startswith('postgres://') test, sqlite otherwise", async () => {
  const facts = await read(
    {
      "shop/settings/base.py": lines(
        "import os",
        "",
        "import dj_database_url",
        "",
        "PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))",
        "BASE_DIR = os.path.dirname(PROJECT_DIR)",
        'DEBUG = os.environ.get("DJANGO_DEBUG", "off") == "on"',
        'INSTALLED_APPS = ["shop.pages", "django.contrib.admin"]',
        'if "DATABASE_URL" in os.environ:',
        '    DATABASES = {"default": dj_database_url.config(conn_max_age=500)}',
        '    if os.environ["DATABASE_URL"].startswith("postgres://"):',
        '        INSTALLED_APPS.append("django.contrib.postgres")',
        "else:",
        "    DATABASES = {",
        '        "default": {',
        '            "ENGINE": "django.db.backends.sqlite3",',
        '            "NAME": os.path.join(',
        '                BASE_DIR, os.environ.get("DATABASE_NAME", "shopdb")',
        "            ),",
        "        }",
        "    }",
      ),
      "shop/settings/production.py": lines(
        "from .base import *",
        "",
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        'if "DJANGO_ALLOWED_HOSTS" in os.environ:',
        '    ALLOWED_HOSTS = os.getenv("DJANGO_ALLOWED_HOSTS").split(",")',
        "else:",
        '    ALLOWED_HOSTS = ["*"]',
        'REDIS_URL = os.environ.get("REDIS_TLS_URL", os.environ.get("REDIS_URL"))',
        "if REDIS_URL:",
        '    if REDIS_URL.startswith("rediss"):',
        "        pool = {'ssl_cert_reqs': None}",
        "    CACHES = {",
        '        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL + "/0"},',
        "    }",
      ),
    },
    "shop.settings.production",
  );
  assert.ok(facts);
  assert.equal(facts.engine, "sqlite");
  assert.equal(facts.urlScheme, "postgres");
  assert.deepEqual(facts.databaseUrlVars, ["DATABASE_URL"]);
  assert.deepEqual(facts.databaseParts.name, ["DATABASE_NAME"]);
  assert.deepEqual(facts.databaseParts.engine, [], "the URL variable the branch tests is not an engine selector");
  assert.deepEqual(facts.allowedHostsVars, ["DJANGO_ALLOWED_HOSTS"]);
  assert.deepEqual(facts.cacheVars, ["REDIS_TLS_URL", "REDIS_URL"]);
  assert.equal(facts.sslRedirect, false);
});

test("healthchecks-style settings: sqlite by default, DB=postgres picks the parts, a project's own reader for the password", async () => {
  const facts = await read(
    {
      "hc/settings.py": lines(
        "import os",
        "from pathlib import Path",
        "from typing import Any, Mapping",
        "",
        "BASE_DIR = Path(__file__).resolve().parent.parent",
        "",
        "def secret_from_env(name: str, default: str) -> str:",
        '    if f"{name}_FILE" in os.environ:',
        '        return Path(os.environ[f"{name}_FILE"]).read_text().strip()',
        "    return os.getenv(name, default)",
        "",
        'ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "*").split(",")',
        "",
        "DATABASES: Mapping[str, Any] = {",
        '    "default": {',
        '        "ENGINE": "django.db.backends.sqlite3",',
        '        "NAME": os.getenv("DB_NAME", BASE_DIR / "hc.sqlite"),',
        "    }",
        "}",
        "",
        "# DB picks another engine (CI runs every one of them).",
        'if os.getenv("DB") == "postgres":',
        "    DATABASES = {",
        '        "default": {',
        '            "ENGINE": "django.db.backends.postgresql",',
        '            "HOST": os.getenv("DB_HOST", ""),',
        '            "PORT": os.getenv("DB_PORT", ""),',
        '            "NAME": os.getenv("DB_NAME", "hc"),',
        '            "USER": os.getenv("DB_USER", "postgres"),',
        '            "PASSWORD": secret_from_env("DB_PASSWORD", ""),',
        '            "TEST": {"CHARSET": "UTF8"},',
        "        }",
        "    }",
        "",
        'if os.getenv("DB") == "mysql":',
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": os.getenv("DB_HOST", "")}}',
      ),
    },
    "hc.settings",
  );
  assert.ok(facts);
  assert.equal(facts.engine, "sqlite");
  assert.deepEqual(facts.databaseParts, { host: ["DB_HOST"], port: ["DB_PORT"], name: ["DB_NAME"], user: ["DB_USER"], password: ["DB_PASSWORD"], engine: ["DB"] });
  assert.deepEqual(facts.databaseUrlVars, []);
  assert.ok(facts.envRead.includes("DB_PASSWORD"));
  assert.deepEqual(facts.allowedHostsVars, ["ALLOWED_HOSTS"]);
});

test("testdriven-style settings: SQL_ENGINE defaulting to sqlite3 and SQL_* parts", async () => {
  const settings = (engine: string) =>
    lines(
      "import os",
      'SECRET_KEY = os.environ.get("SECRET_KEY")',
      'DEBUG = bool(int(os.environ.get("DEBUG", 0)))',
      'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(" ")',
      "DATABASES = {",
      "    'default': {",
      `        'ENGINE': os.environ.get('SQL_ENGINE', '${engine}'),`,
      "        'NAME': os.environ.get('SQL_DATABASE', os.path.join(BASE_DIR, 'db.sqlite3')),",
      "        'USER': os.environ.get('SQL_USER', 'user'),",
      "        'PASSWORD': os.environ.get('SQL_PASSWORD', 'password'),",
      "        'HOST': os.environ.get('SQL_HOST', 'localhost'),",
      "        'PORT': os.environ.get('SQL_PORT', '5432'),",
      "    }",
      "}",
    );
  const facts = await read({ "app/hello/settings.py": settings("django.db.backends.sqlite3") }, "hello.settings", ["app"]);
  assert.ok(facts);
  assert.equal(facts.engine, "sqlite");
  assert.deepEqual(facts.databaseParts, { host: ["SQL_HOST"], port: ["SQL_PORT"], name: ["SQL_DATABASE"], user: ["SQL_USER"], password: ["SQL_PASSWORD"], engine: ["SQL_ENGINE"] });
  assert.deepEqual(facts.allowedHostsVars, ["DJANGO_ALLOWED_HOSTS"]);
  assert.deepEqual(facts.files, [{ file: "app/hello/settings.py", line: null }]);
  assert.equal((await read({ "app/hello/settings.py": settings("django.db.backends.postgresql") }, "hello.settings", ["app"]))?.engine, "postgresql");
});

test("hard-coded sqlite: the engine, and no variables at all", async () => {
  const facts = await read(
    {
      "mysite/settings.py": lines(
        "from pathlib import Path",
        "BASE_DIR = Path(__file__).resolve().parent.parent",
        "SECRET_KEY = 'django-insecure-not-a-secret'",
        "DEBUG = True",
        "ALLOWED_HOSTS = []",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
      ),
    },
    "mysite.settings",
  );
  assert.deepEqual(facts, {
    engine: "sqlite",
    databaseUrlVars: [],
    databaseParts: { host: [], port: [], name: [], user: [], password: [], engine: [] },
    urlScheme: null,
    allowedHostsVars: [],
    cacheVars: [],
    envRead: [],
    requiredVars: [],
    sslRedirect: false,
    files: [{ file: "mysite/settings.py", line: null }],
  });
});

test("URL readers: decouple with cast=db_url, dj_database_url.config(env=…), parse(os.environ[…]), a variable passed to parse, django_heroku", async () => {
  const decouple = await read(
    {
      "site/settings.py": lines(
        "from decouple import Csv, config",
        "from dj_database_url import parse as db_url",
        'DATABASES = {"default": config("DATABASE_URL", default="sqlite:///db.sqlite3", cast=db_url)}',
        'ALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())',
        'SECURE_SSL_REDIRECT = config("SSL_REDIRECT", default="True", cast=bool)',
        'CELERY_BROKER_URL = config("BROKER", default="amqp://guest@rabbit//")',
      ),
    },
    "site.settings",
  );
  assert.equal(decouple?.engine, "sqlite");
  assert.deepEqual(decouple?.databaseUrlVars, ["DATABASE_URL"]);
  assert.deepEqual(decouple?.allowedHostsVars, ["ALLOWED_HOSTS"]);
  assert.equal(decouple?.sslRedirect, true, "decouple casts the string default");
  assert.deepEqual(decouple?.cacheVars, ["BROKER"]);
  const prefixed = await read(
    {
      "s.py": lines(
        "import os",
        "import dj_database_url as dburl",
        'DATABASES = {"default": dburl.config(env="DJANGO_DATABASE_URL", default="postgresql://localhost/app")}',
        'DATABASES["replica"] = dburl.parse(os.environ["DD_DATABASE_URL"])',
        'analytics = os.getenv("ANALYTICS_DB_URL", "sqlite://")',
        'DATABASES["analytics"] = dburl.parse(analytics)',
      ),
    },
    "s",
  );
  assert.equal(prefixed?.engine, "postgresql");
  assert.equal(prefixed?.urlScheme, "postgresql");
  assert.deepEqual(prefixed?.databaseUrlVars, ["DJANGO_DATABASE_URL", "DD_DATABASE_URL", "ANALYTICS_DB_URL"]);
  const heroku = await read({ "s.py": lines("import django_heroku", "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}", "django_heroku.settings(locals())") }, "s");
  assert.deepEqual(heroku?.databaseUrlVars, ["DATABASE_URL"]);
  assert.equal(heroku?.engine, "sqlite");
  const required = await read({ "s.py": lines("import environ", "env = environ.Env()", 'DATABASES = {"default": env.db()}') }, "s");
  assert.equal(required?.engine, "unknown", "a URL that must be given decides the engine");
  assert.deepEqual(required?.databaseUrlVars, ["DATABASE_URL"]);
});

test("a settings package: star-imports by relative and absolute names, try/except imports, imports under a false condition still read, split-settings include()", async () => {
  const facts = await read(
    {
      "backend/proj/settings/__init__.py": lines(
        "import os",
        "from proj.settings.components.base import *",
        'if os.environ.get("ENVIRONMENT") == "production":',
        "    from .production import *",
        "try:",
        "    from .local import *",
        "except ImportError:",
        "    pass",
      ),
      "backend/proj/settings/components/base.py": lines("import os", 'DEBUG = os.environ.get("DEBUG", "0") == "1"', "if not DEBUG:", "    SECURE_SSL_REDIRECT = True"),
      "backend/proj/settings/production.py": lines("import os", 'ALLOWED_HOSTS = [os.environ["PUBLIC_HOST"]]', "SECURE_SSL_REDIRECT = False"),
      "backend/proj/settings/local.py": lines('CACHES = {"default": {"BACKEND": "x", "LOCATION": os.environ.get("MEMCACHED_SERVERS")}}'),
    },
    "proj.settings",
    ["backend"],
  );
  assert.ok(facts);
  assert.deepEqual(
    facts.files.map((f) => f.file),
    ["backend/proj/settings/__init__.py", "backend/proj/settings/components/base.py", "backend/proj/settings/production.py", "backend/proj/settings/local.py"],
  );
  assert.equal(facts.sslRedirect, true, "production's False is under a condition that is false with an empty environment");
  assert.deepEqual(facts.allowedHostsVars, ["PUBLIC_HOST"]);
  assert.deepEqual(facts.cacheVars, ["MEMCACHED_SERVERS"]);
  const split = await read(
    {
      "conf/settings.py": lines("from split_settings.tools import include, optional", "include('components/*.py', optional('local_settings.py'))"),
      "conf/components/a_base.py": lines("import os", "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}"),
      "conf/components/b_db.py": lines("import os", "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ['PGHOST']}}"),
    },
    "conf.settings",
  );
  assert.equal(split?.engine, "postgresql", "included in name order: the later file wins");
  assert.deepEqual(split?.databaseParts.host, ["PGHOST"]);
});

test("any text: the settings reader never throws", async () => {
  const piece = fc.oneof(
    fc.constantFrom(
      "DATABASES = {", '"default": {', '"ENGINE": os.getenv("X", "postgresql")', "}", "if ", "else:", "elif x:", "    ", "\n", "from .base import *", "from . import *", "import dj_database_url as d",
      "env.db(", "os.environ[", '"', "'''", "(", ")", "[", "]", ":", "=", "lambda x:", "for x in y", "not", " in os.environ", "\\\n", "#", "toString", "__proto__", "include('*.py')", "SECURE_SSL_REDIRECT = ",
    ),
    fc.string({ maxLength: 30 }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 10 }), async (main, base) => {
      const facts = await read({ "s/settings.py": `from .base import *\n${main.join("")}`, "s/base.py": base.join(" ") }, "s.settings");
      assert.ok(facts);
      assert.ok(["postgresql", "sqlite", "mysql", "unknown"].includes(facts.engine));
    }),
    { numRuns: 300 },
  );
});

test("required variables: read with no default where the settings run with an empty environment, not inside a branch or a function", async () => {
  const settings = [
    "import os",
    "import environ",
    "from decouple import config",
    "env = environ.Env()",
    'ADMIN_URL = env("DJANGO_ADMIN_URL")',
    'SENTRY = env("SENTRY_DSN", default="")',
    'STRIPE = os.environ["STRIPE_API_KEY"]',
    'MAIL = config("MAILGUN_API_KEY")',
    'OPTIONAL = os.getenv("OPTIONAL_FLAG")',
    'if env.bool("USE_S3", default=False):',
    '    AWS_KEY = env("AWS_ACCESS_KEY_ID")',
    "def later():",
    '    return os.environ["ONLY_AT_RUNTIME"]',
  ].join("\n");
  const facts = await read({ "shop/__init__.py": "", "shop/settings.py": `${settings}\n` }, "shop.settings");
  assert.deepEqual(facts?.requiredVars.sort(), ["DJANGO_ADMIN_URL", "MAILGUN_API_KEY", "STRIPE_API_KEY"]);
});
