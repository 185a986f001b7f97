import { join } from "../project/source-tree.js";
import { adoptedBy, type ImageTool } from "./types.js";

/**
 * Django's deployment checklist (`manage.py check --deploy`) on the settings the deployment
 * runs: in the built image, with the environment the backend gets at start. Its warnings
 * (HSTS, SSL redirect, a weak SECRET_KEY, DEBUG on, …) are findings; it fails at the project's
 * level, with the settings and plain variables its own `check --deploy` line gives (deployCheck:
 * predeploy.json, the project's own line, else ERROR).
 * Django itself leaves out what the settings' SILENCED_SYSTEM_CHECKS name.
 */
export const deployChecklist: ImageTool = {
  ecosystem: "python",
  program: "python",
  environment: "image",
  role: "checklist",
  check: { id: "build.deploy-checklist", stage: "build", title: "Django deployment checklist (check --deploy)" },
  parser: "django-check",
  proves:
    "Django's deployment checklist, `manage.py check --deploy`, in the built image with the environment the backend gets at start (without a Dockerfile: the production dependencies): its warnings (`security.W004` HSTS, `W008` SSL redirect, `W009` a weak `SECRET_KEY` — the run's own is 64 characters, so this one is always the project's —, `W018` `DEBUG` on, `W020` empty `ALLOWED_HOSTS`, …) are findings of severity `warning`; it fails at the project's level: `backend.deployCheckFailLevel` in predeploy.json, else the `--fail-level` of the project's own `check --deploy` (a CI workflow or composite action, Makefile, justfile, `render.yaml`, `Procfile` or a start script; `plan` says which line), else Django's `ERROR`; with the `--settings` and the plain variables that line gives (`DEBUG=False`, `DJANGO_ENV=production`, and in a GitHub workflow its step's, job's and workflow's literal `env`; never a secret, a URL, an expression or a value the shell computes); the settings' `SILENCED_SYSTEM_CHECKS` are honoured by Django",
  adoption: (project) => adoptedBy(`Django project: ${join(project.django.dir, "manage.py")}; fails at ${project.django.deployCheck.level}: ${project.django.deployCheck.why}`),
  manage: (project) => {
    const { level, settings } = project.django.deployCheck;
    // A settings module predeploy.json names wins over the project's line, as it does everywhere.
    const named = settings !== null && !project.django.settingsConfigured ? ["--settings", settings] : [];
    return ["check", "--deploy", "--fail-level", level, ...named];
  },
  // The plain variables the project's own check --deploy line (and its CI step) sets: DEBUG=False, DJANGO_ENV=production.
  env: (project) =>
    Object.fromEntries(Object.entries(project.django.deployCheck.env).filter(([name]) => !(project.django.settingsConfigured && name === "DJANGO_SETTINGS_MODULE"))),
  caches: [],
  importsSettings: true,
};
