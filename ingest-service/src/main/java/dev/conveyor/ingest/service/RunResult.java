package dev.conveyor.ingest.service;

import java.time.Instant;
import java.util.List;

/** One ingest run over one or all sources. */
public record RunResult(
    long runId,
    String trigger,
    Instant startedAt,
    Instant finishedAt,
    List<SourceResult> sources) {}
