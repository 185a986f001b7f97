# define an alias for the specific python version used in this file.
FROM docker.io/python:3.13-slim AS python

# Python build stage
FROM python AS python-build-stage

ARG BUILD_ENVIRONMENT=production

# psycopg2 is built from source: a compiler and libpq's headers, gone after the build.
RUN BUILD_DEPS=" \
      build-essential \
      libpq-dev \
    " \
    && apt-get update && apt-get install --no-install-recommends -y $BUILD_DEPS \
    && rm -rf /var/lib/apt/lists/*

# Requirements are installed here to ensure they will be cached.
COPY ./requirements .

# Create Python Dependency and Sub-Dependency Wheels.
RUN pip install --upgrade pip==25.3 \
    && pip wheel --wheel-dir /usr/src/app/wheels -r ${BUILD_ENVIRONMENT}.txt


# Python 'run' stage
FROM python AS python-run-stage

ARG BUILD_ENVIRONMENT=production
ARG APP_HOME=/app

ENV PYTHONUNBUFFERED=1
ENV PYTHONDONTWRITEBYTECODE=1
ENV BUILD_ENV=${BUILD_ENVIRONMENT}

WORKDIR ${APP_HOME}

RUN groupadd --system django \
    && useradd --system --gid django --home-dir ${APP_HOME} django

# The libpq psycopg2 links against, at run time.
RUN RUN_DEPS="libpq5" \
    && apt-get update && apt-get install --no-install-recommends -y $RUN_DEPS \
    && rm -rf /var/lib/apt/lists/*

# All absolute dir copies ignore workdir instruction. All relative dir copies are wrt to the workdir instruction
# copy python dependency wheels from python-build-stage
COPY --from=python-build-stage /usr/src/app/wheels /wheels/

# use wheels to install python dependencies
RUN pip install --upgrade pip==25.3 \
    && pip install --no-cache-dir --no-index --find-links=/wheels/ /wheels/* \
    && rm -rf /wheels/

COPY --chown=django:django ./docker/production/entrypoint /entrypoint
RUN sed -i 's/\r$//g' /entrypoint && chmod +x /entrypoint

COPY --chown=django:django ./docker/production/start /start
RUN sed -i 's/\r$//g' /start && chmod +x /start

COPY --chown=django:django ./docker/production/start-celeryworker /start-celeryworker
RUN sed -i 's/\r$//g' /start-celeryworker && chmod +x /start-celeryworker

# copy application code to WORKDIR
COPY --chown=django:django . ${APP_HOME}

USER django

ENTRYPOINT ["/entrypoint"]
