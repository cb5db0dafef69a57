package dev.conveyor.ingest.repository;

import java.time.Instant;

/** One committed dataset version and its data-arrived event (the outbox row). */
public record VersionRow(
    String dataset,
    long version,
    Long parentVersion,
    String source,
    String manifestUri,
    String manifestDigest,
    String eventId,
    String eventJson,
    long train,
    long test,
    long quarantined,
    long duplicates,
    Instant createdAt,
    Instant publishedAt) {}
