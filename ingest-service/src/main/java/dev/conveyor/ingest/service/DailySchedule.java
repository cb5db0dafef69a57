package dev.conveyor.ingest.service;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.conveyor.ingest.config.IngestConfig;
import dev.conveyor.ingest.repository.RunRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The daily pull at {@code conveyor.ingest.schedule.cron} (UTC), with catch-up at start-up. */
@ApplicationScoped
public class DailySchedule {
  static final String SCHEDULE = "schedule";
  static final String CATCH_UP = "catch-up";
  private static final Logger LOG = Logger.getLogger(DailySchedule.class);
  private final IngestService ingest;
  private final RunRepository runs;
  private final IngestConfig config;

  public DailySchedule(IngestService ingest, RunRepository runs, IngestConfig config) {
    this.ingest = ingest;
    this.runs = runs;
    this.config = config;
  }

  @Scheduled(
      identity = "daily-ingest",
      cron = "${conveyor.ingest.schedule.cron:0 0 2 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void daily() {
    ingest.run(Optional.empty(), SCHEDULE);
  }

  void onStart(@Observes StartupEvent event) throws Exception {
    String cron = config.schedule().cron();
    if (!config.schedule().catchUp() || isOff(cron)) {
      return;
    }
    Optional<Instant> last = runs.lastStart(SCHEDULE, CATCH_UP);
    if (missed(cron, last, Instant.now())) {
      LOG.infof(
          "the last daily pull (%s) was missed (last run: %s); catching up now",
          cron, last.orElse(null));
      Thread t = new Thread(() -> ingest.run(Optional.empty(), CATCH_UP), "ingest-catch-up");
      t.setDaemon(true);
      t.start();
    }
  }

  static boolean isOff(String cron) {
    return cron.equalsIgnoreCase("off") || cron.equalsIgnoreCase("disabled");
  }

  /** True when the most recent scheduled time before {@code now} has no run since. */
  static boolean missed(String cron, Optional<Instant> lastRun, Instant now) {
    var parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    Optional<ZonedDateTime> due =
        ExecutionTime.forCron(parser.parse(cron)).lastExecution(now.atZone(ZoneOffset.UTC));
    if (due.isEmpty()) {
      return false;
    }
    return lastRun.isEmpty() || lastRun.get().isBefore(due.get().toInstant());
  }
}
