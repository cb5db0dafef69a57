-- Where each source got to: a failed pull never moves these.
create table source_state (
    source               text primary key,
    cursor_value         text,
    etag                 text,
    last_attempt_at      timestamptz,
    last_success_at      timestamptz,
    consecutive_failures integer not null default 0,
    last_error           text
);

-- Content hashes of every record of every version, for de-duplication across versions.
create table record_hash (
    dataset text   not null,
    hash    bytea  not null,
    version bigint not null,
    primary key (dataset, hash)
);

-- Every version and its data-arrived event: the outbox (published_at null = not yet acknowledged).
create table dataset_version (
    dataset         text        not null,
    version         bigint      not null,
    parent_version  bigint,
    source          text        not null,
    manifest_uri    text        not null,
    manifest_digest text        not null,
    event_id        text        not null unique,
    event_json      text        not null,
    train_count     bigint      not null,
    test_count      bigint      not null,
    quarantined     bigint      not null,
    duplicates      bigint      not null,
    created_at      timestamptz not null,
    published_at    timestamptz,
    primary key (dataset, version)
);
create index dataset_version_outbox on dataset_version (created_at) where published_at is null;

-- Runs, for the catch-up check and GET /ingest/runs.
create table ingest_run (
    id          bigserial primary key,
    trigger     text        not null,
    started_at  timestamptz not null,
    finished_at timestamptz,
    result      text
);
create index ingest_run_trigger on ingest_run (trigger, started_at);
