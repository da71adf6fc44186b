#!/bin/sh
# Entrypoint of the locally built Redis 7 image: like the official image, arguments that start with '-'
# (or a .conf file) are passed to redis-server; anything else is executed as given.
set -e
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac
exec "$@"
