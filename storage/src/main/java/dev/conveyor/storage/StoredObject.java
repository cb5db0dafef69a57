package dev.conveyor.storage;

/** An object written or found in the store: key, {@code sha256:<hex>} digest and size. */
public record StoredObject(String key, String digest, long size) {}
