package dev.conveyor.events;

/** One immutable dataset version and the sha256 digest of its manifest. */
public record DatasetRef(String name, long version, String digest) {}
