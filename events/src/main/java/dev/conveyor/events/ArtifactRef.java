package dev.conveyor.events;

/** A stored artifact: where it is, its sha256 digest and size in bytes. */
public record ArtifactRef(String uri, String digest, long sizeBytes) {}
