#!/bin/sh
# Entrypoint of the redis:7 stand-in, following the official image's docker-entrypoint.sh (see the
# Dockerfile), plus `--protected-mode no` where the official binary has it compiled in.
set -e

# first arg is `-f` or `--some-option`, or `something.conf`: options for redis-server
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# The official image's redis-server defaults to protected-mode no; Debian's to yes. Without a
# config file every argument is an option, and later ones win, so the user can still say yes.
if [ "$1" = 'redis-server' ] && { [ "$#" -eq 1 ] || [ "${2#-}" != "$2" ]; }; then
	shift
	set -- redis-server --protected-mode no "$@"
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

exec "$@"
