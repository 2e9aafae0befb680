#!/bin/sh
# Runs once, when the PostgreSQL volume is created: the login role the API and the worker use.
# It is a member of vigil_app, which Vigil's migrations (run as the owner, POSTGRES_USER) grant
# row access to; it owns no table, so it cannot alter them nor the audit trail's triggers.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$VIGIL_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE vigil_app NOLOGIN;
CREATE ROLE vigil_api LOGIN PASSWORD :'app_password' IN ROLE vigil_app;
SQL
