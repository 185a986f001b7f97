/**
 * The build libraries a full (non-slim) official `python:<version>` image brings: it is built on
 * `buildpack-deps`, so a Dockerfile FROM it compiles psycopg2, mysqlclient, lxml or Pillow from
 * source without an apt-get line. The checks' environment (the slim image) gets the ones Python
 * packages build against, under the Debian names of the check image's release.
 */
const BUILDPACK_PACKAGES = [
  "build-essential",
  "pkg-config",
  "git",
  "curl",
  "libpq-dev",
  "default-libmysqlclient-dev",
  "libffi-dev",
  "libssl-dev",
  "libjpeg-dev",
  "libpng-dev",
  "libwebp-dev",
  "zlib1g-dev",
  "libxml2-dev",
  "libxslt1-dev",
  "libyaml-dev",
  "libsqlite3-dev",
  "libbz2-dev",
  "liblzma-dev",
  "libreadline-dev",
  "libcurl4-openssl-dev",
  "libkrb5-dev",
];

/** `python`, `python:3.12`, `python:3.12.4-bookworm`, `docker.io/library/python:3.13@sha256:…`, `buildpack-deps:trixie`; never `-slim`, `-alpine` or Windows tags. */
const FULL_IMAGE = /^(?:docker\.io\/)?(?:library\/)?(?:python|buildpack-deps)(?::([^@]*))?(?:@\S+)?$/i;

/** The Debian packages the Dockerfile's base images bring that the slim check image lacks. */
export function basePackagesOf(images: readonly string[]): string[] {
  const full = images.some((image) => {
    const match = FULL_IMAGE.exec(image.trim());
    return match !== null && !/slim|alpine|windows|nanoserver/i.test(match[1] ?? "");
  });
  return full ? BUILDPACK_PACKAGES : [];
}
