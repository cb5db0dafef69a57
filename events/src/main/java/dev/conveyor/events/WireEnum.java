package dev.conveyor.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum written on the wire in kebab case ({@code new-data}), never by its Java name. */
public interface WireEnum {

  /** The value on the wire. */
  @JsonValue
  default String wire() {
    return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses a wire value; the error lists the allowed values. */
  static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not one of " + allowed(type) + " for " + type.getSimpleName());
  }

  /** The allowed wire values of an enum type. */
  static String allowed(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> ((WireEnum) e).wire())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
