/**
 * Debian names for the Alpine packages a Dockerfile installs, so that checks running on a Debian
 * image get the system libraries an Alpine-based project builds its Python packages against.
 * Checked against Debian 12 (bookworm); runtime library names drift between Debian releases
 * (trixie's `t64` renames), so only the development packages, whose names are stable, are safe bets.
 */

/** Alpine name → Debian names ([] : nothing to install on Debian). */
const DEBIAN: Record<string, readonly string[]> = {
  // Compilers and the C library's headers: build-essential on Debian (gcc's libc6-dev is only a recommendation).
  "build-base": ["build-essential"],
  "musl-dev": ["build-essential"],
  "libc-dev": ["build-essential"],
  "linux-headers": ["build-essential"],
  // musl itself and Alpine's own Python: the image's Python comes from its base image, its packages from pip.
  musl: [],
  "libc-utils": [],
  python3: [],
  "python3-dev": [],
  "postgresql-dev": ["libpq-dev"],
  "libpq-dev": ["libpq-dev"],
  libpq: ["libpq5"],
  "postgresql-libs": ["libpq5"],
  "postgresql-client": ["postgresql-client"],
  "jpeg-dev": ["libjpeg-dev"],
  "libjpeg-turbo-dev": ["libjpeg-dev"],
  "libjpeg-turbo": ["libjpeg62-turbo"],
  libjpeg: ["libjpeg62-turbo"],
  "zlib-dev": ["zlib1g-dev"],
  zlib: ["zlib1g"],
  "freetype-dev": ["libfreetype-dev"],
  "lcms2-dev": ["liblcms2-dev"],
  "openjpeg-dev": ["libopenjp2-7-dev"],
  "tiff-dev": ["libtiff-dev"],
  "libxslt-dev": ["libxslt1-dev"],
  libmagic: ["libmagic1"],
  "file-dev": ["libmagic-dev"],
  "cairo-dev": ["libcairo2-dev"],
  cairo: ["libcairo2"],
  "pango-dev": ["libpango1.0-dev"],
  "gdk-pixbuf-dev": ["libgdk-pixbuf-2.0-dev"],
  "gettext-dev": ["gettext"],
  "openssl-dev": ["libssl-dev"],
  "libressl-dev": ["libssl-dev"],
  "openldap-dev": ["libldap-dev"],
  "cyrus-sasl-dev": ["libsasl2-dev"],
  "mariadb-dev": ["libmariadb-dev"],
  "mariadb-connector-c-dev": ["libmariadb-dev"],
  "xmlsec-dev": ["libxmlsec1-dev"],
  "pcre-dev": ["libpcre3-dev"],
  "pcre2-dev": ["libpcre2-dev"],
  pcre: ["libpcre3"],
  "expat-dev": ["libexpat1-dev"],
  expat: ["libexpat1"],
  "geos-dev": ["libgeos-dev"],
  "proj-dev": ["libproj-dev"],
  "gdal-dev": ["libgdal-dev"],
  "curl-dev": ["libcurl4-openssl-dev"],
  rust: ["rustc"],
  pkgconfig: ["pkg-config"],
  "libstdc++": ["libstdc++6"],
  "yaml-dev": ["libyaml-dev"],
  "libxml2-utils": ["libxml2-utils"],
  "sqlite-dev": ["libsqlite3-dev"],
  "bzip2-dev": ["libbz2-dev"],
  "xz-dev": ["liblzma-dev"],
  "readline-dev": ["libreadline-dev"],
  "ncurses-dev": ["libncurses-dev"],
  "gmp-dev": ["libgmp-dev"],
  "harfbuzz-dev": ["libharfbuzz-dev"],
  "fribidi-dev": ["libfribidi-dev"],
  "libwebp-tools": ["webp"],
  "postgresql-contrib": ["postgresql-contrib"],
  gdal: ["gdal-bin"],
  "gdal-tools": ["gdal-bin"],
};

/** Packages both distributions name alike. */
const SAME = new Set([
  "gcc", "g++", "make", "cmake", "autoconf", "automake", "libtool", "pkgconf", "patch", "binutils",
  "git", "curl", "wget", "bash", "tzdata", "tini", "dumb-init", "gettext", "ca-certificates", "openssl", "gnupg",
  "libffi-dev", "libxml2-dev", "libwebp-dev", "tk-dev", "tcl-dev", "cargo", "graphviz", "jq",
  "unzip", "zip", "rsync", "openssh-client", "netcat-openbsd", "file", "nodejs", "npm", "nginx", "supervisor",
]);

/**
 * Debian packages for Alpine ones: the common libraries and tools; the C toolchain's pieces
 * (build-base, musl-dev, linux-headers) as build-essential. Names without a known counterpart are
 * `unknown` (including Debian names an Alpine Dockerfile installs by mistake, which apk rejects).
 */
export function debianPackagesFor(apk: readonly string[]): { debian: string[]; unknown: string[] } {
  const debian = new Set<string>();
  const unknown: string[] = [];
  for (const name of apk) {
    const mapped = Object.hasOwn(DEBIAN, name) ? (DEBIAN[name] as readonly string[]) : SAME.has(name) ? [name] : versioned(name);
    if (mapped === null) {
      // Alpine's Python packages (py3-cffi) are for its own Python: pip provides them for the image's.
      if (!/^py3?-/.test(name)) unknown.push(name);
    } else for (const debianName of mapped) debian.add(debianName);
  }
  return { debian: [...debian], unknown: [...new Set(unknown)] };
}

/** Alpine's versioned PostgreSQL packages (postgresql16-dev, postgresql15-client). */
function versioned(name: string): readonly string[] | null {
  const postgres = /^postgresql\d*-(dev|client)$/.exec(name);
  if (postgres === null) return null;
  return postgres[1] === "dev" ? ["libpq-dev"] : ["postgresql-client"];
}
