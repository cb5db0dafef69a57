#!/bin/bash
# Run once by the postgres image on an empty data directory (docker-compose and Kubernetes mount
# it into /docker-entrypoint-initdb.d): one login role and one database per service that keeps
# state, each role owning only its database. Names and passwords come from the environment.
set -euo pipefail

create() { # database role password
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v db="$1" -v role="$2" -v pass="$3" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pass';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
}

create registry "${REGISTRY_DB_USER:?}" "${REGISTRY_DB_PASSWORD:?}"
create ingest "${INGEST_DB_USER:?}" "${INGEST_DB_PASSWORD:?}"
