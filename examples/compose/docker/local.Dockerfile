FROM docker.io/python:3.13-slim AS python

ARG APP_HOME=/app

ENV PYTHONUNBUFFERED=1
ENV PYTHONDONTWRITEBYTECODE=1

WORKDIR ${APP_HOME}

RUN BUILD_DEPS=" \
      build-essential \
      libpq-dev \
    " \
    && apt-get update && apt-get install --no-install-recommends -y $BUILD_DEPS \
    && rm -rf /var/lib/apt/lists/*

COPY ./requirements /requirements
RUN pip install --no-cache-dir -r /requirements/local.txt

COPY ./docker/production/entrypoint /entrypoint
RUN sed -i 's/\r$//g' /entrypoint && chmod +x /entrypoint

COPY ./docker/local/start /start
RUN sed -i 's/\r$//g' /start && chmod +x /start

COPY ./docker/production/start-celeryworker /start-celeryworker
RUN sed -i 's/\r$//g' /start-celeryworker && chmod +x /start-celeryworker

ENTRYPOINT ["/entrypoint"]
