package dev.conveyor.trainer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 7807 problem body ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
  public static final String MEDIA_TYPE = "application/problem+json";
}
