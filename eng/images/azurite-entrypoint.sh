#!/bin/sh
# Entrypoint of the locally built Azurite image (the npm package azurite 3.37 on Debian's nodejs): the run-mode stand-in
# for the Azure Blob Storage account that receives the encrypted backups. Blob service only, on :10000, data in /data
# (a volume), telemetry off, as the unprivileged user "nobody". Arguments are appended to azurite-blob's command line.
set -eu
mkdir -p /data
chown -R nobody:nogroup /data
exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
  node /opt/azurite/node_modules/azurite/dist/src/blob/main.js \
  --blobHost 0.0.0.0 --blobPort 10000 --location /data --disableTelemetry --skipApiVersionCheck --loose "$@"
