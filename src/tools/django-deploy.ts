import { join } from "../project/source-tree.js";
import { adoptedBy, type ImageTool } from "./types.js";

/**
 * Django's deployment checklist (`manage.py check --deploy`) on the settings the deployment
 * runs: in the built image, with the environment the backend gets at start. Its warnings
 * (HSTS, SSL redirect, a weak SECRET_KEY, DEBUG on, …) are findings; it fails at the project's
 * level (deployFailLevel: predeploy.json, the project's own `check --deploy`, else ERROR).
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
    "Django's deployment checklist, `manage.py check --deploy`, in the built image with the environment the backend gets at start (without a Dockerfile: the production dependencies): its warnings (`security.W004` HSTS, `W008` SSL redirect, `W009` a weak `SECRET_KEY` — the run's own is 64 characters, so this one is always the project's —, `W018` `DEBUG` on, `W020` empty `ALLOWED_HOSTS`, …) are findings of severity `warning`; it fails at the project's level: `backend.deployCheckFailLevel` in predeploy.json, else the `--fail-level` of the project's own `check --deploy` (a CI workflow, Makefile, justfile, `render.yaml`, `Procfile` or a start script; `plan` says which line), else Django's `ERROR`; the settings' `SILENCED_SYSTEM_CHECKS` are honoured by Django",
  adoption: (project) => adoptedBy(`Django project: ${join(project.django.dir, "manage.py")}; fails at ${project.django.deployFailLevel.level}: ${project.django.deployFailLevel.why}`),
  manage: (project) => ["check", "--deploy", "--fail-level", project.django.deployFailLevel.level],
  caches: [],
  importsSettings: true,
};
