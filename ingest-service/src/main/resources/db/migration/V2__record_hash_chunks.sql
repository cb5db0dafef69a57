-- De-duplication state, one row per 65,536 content hashes of a version instead of one row per hash:
-- committing a version of a million records writes 16 rows (32 MB of hashes) instead of a million
-- b-tree entries. Uniqueness across versions is kept by the service (every pull is de-duplicated
-- against the hashes of all versions up to its parent, and dataset_version's key refuses a second
-- version N+1), no longer by an index over the hashes.
create table record_hash_chunk (
    dataset text    not null,
    version bigint  not null,
    chunk   integer not null,
    -- sha256 hashes of the version's new records, 32 bytes each, in the order they were written
    hashes  bytea   not null check (octet_length(hashes) > 0 and octet_length(hashes) % 32 = 0),
    primary key (dataset, version, chunk),
    foreign key (dataset, version) references dataset_version (dataset, version)
);
-- sha256 output does not compress: store it out of line without trying to
alter table record_hash_chunk alter column hashes set storage external;

insert into record_hash_chunk (dataset, version, chunk, hashes)
select dataset, version, (n / 65536)::integer, string_agg(hash, ''::bytea order by n)
from (select dataset, version, hash,
             row_number() over (partition by dataset, version order by hash) - 1 as n
      from record_hash) numbered
group by dataset, version, n / 65536;

drop table record_hash;
