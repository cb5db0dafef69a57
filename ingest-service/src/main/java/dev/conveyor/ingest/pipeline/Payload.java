package dev.conveyor.ingest.pipeline;

/** The bytes of one pulled object (an HTTP body, an S3 object, a file) and where they came from. */
public record Payload(String name, byte[] bytes, String contentType) {}
