#!/bin/sh
# Entrypoint of the locally built backup image: Debian's postgresql-15 (the database's pg_dump/pg_restore/initdb) plus
# gnupg (the backups are encrypted with `gpg --symmetric --cipher-algo AES256` before they leave the container).
# Deployments build the same contents from Agepar.AppHost/Backup/Dockerfile (postgres:15 + gnupg + agepar-blob).
# The AppHost runs Backup/agepar-backup.sh through bash; this entrypoint only hands over.
set -eu
exec "$@"
