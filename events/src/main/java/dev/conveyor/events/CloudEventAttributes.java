package dev.conveyor.events;

import java.util.List;

/** CloudEvents 1.0 attribute names and their Kafka binary-mode header names. */
public final class CloudEventAttributes {
  public static final String SPEC_VERSION = "1.0";
  public static final String JSON = "application/json";

  /** Kafka binary mode prefixes every attribute with this. */
  public static final String HEADER_PREFIX = "ce_";

  /** Kafka binary mode carries {@code datacontenttype} in this header, not a ce_ one. */
  public static final String CONTENT_TYPE_HEADER = "content-type";

  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String TYPE = "type";
  public static final String SPECVERSION = "specversion";
  public static final String TIME = "time";
  public static final String SUBJECT = "subject";
  public static final String DATA_CONTENT_TYPE = "datacontenttype";

  /** W3C trace context, as the CloudEvents distributed-tracing extension. */
  public static final String TRACEPARENT = "traceparent";

  /** Conveyor extension: sha256 digest of the dataset manifest the event derives from. */
  public static final String DATASET_DIGEST = "datasetdigest";

  /** Conveyor extension: {@code <model>:<version>} of the model the event is about. */
  public static final String MODEL_VERSION = "modelversion";

  /** Conveyor extension: the training run the event derives from. */
  public static final String RUN_ID = "runid";

  /** Attributes every Conveyor event must carry. */
  public static final List<String> REQUIRED = List.of(ID, SOURCE, TYPE, SPECVERSION);

  /** Extensions Conveyor understands; others are kept and passed on. */
  public static final List<String> EXTENSIONS =
      List.of(TRACEPARENT, DATASET_DIGEST, MODEL_VERSION, RUN_ID);

  private CloudEventAttributes() {}

  /** The Kafka header that carries {@code attribute} in binary mode. */
  public static String header(String attribute) {
    return HEADER_PREFIX + attribute;
  }
}
