package dev.conveyor.ingest.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DailyScheduleTest {
  private static final String DAILY = "0 0 2 * * ?";

  @Test
  void catchesUpOnlyWhenTheLastDueRunIsMissing() {
    Instant now = Instant.parse("2026-11-25T09:00:00Z");
    assertTrue(DailySchedule.missed(DAILY, Optional.empty(), now), "never ran");
    assertTrue(
        DailySchedule.missed(DAILY, Optional.of(Instant.parse("2026-11-24T02:00:03Z")), now),
        "yesterday's run only");
    assertFalse(
        DailySchedule.missed(DAILY, Optional.of(Instant.parse("2026-11-25T02:00:01Z")), now),
        "today's run happened");
    assertFalse(
        DailySchedule.missed(
            DAILY,
            Optional.of(Instant.parse("2026-11-24T02:00:01Z")),
            Instant.parse("2026-11-25T01:59:00Z")),
        "not due yet today");
    assertTrue(
        DailySchedule.isOff("off")
            && DailySchedule.isOff("disabled")
            && !DailySchedule.isOff(DAILY));
  }
}
