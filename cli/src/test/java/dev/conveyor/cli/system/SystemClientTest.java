package dev.conveyor.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ingest run as {@code conveyor up} and {@code conveyor feed} print it. */
class SystemClientTest {

  @Test
  void describesEachSourceOfAnIngestRun() throws Exception {
    // the shape of ingest-service's RunResult / SourceResult, nulls included
    String run =
        """
        {"runId":"r1","sources":[
          {"source":"demo","dataset":"qa","status":"created","version":2,
           "manifestUri":"s3://conveyor/m","manifestDigest":"sha256:ab",
           "counts":{"train":486,"test":54,"quarantined":3,"duplicates":0},
           "attempts":1,"error":null},
          {"source":"inbox","dataset":"qa","status":"no-new-records","version":null,
           "manifestUri":null,"manifestDigest":null,
           "counts":{"train":0,"test":0,"quarantined":2,"duplicates":7},"attempts":1,"error":null},
          {"source":"dir","dataset":"qa","status":"not-modified","version":null,
           "manifestUri":null,"manifestDigest":null,"counts":null,"attempts":1,"error":null},
          {"source":"http","dataset":"qa","status":"failed","version":null,
           "manifestUri":null,"manifestDigest":null,"counts":null,"attempts":3,
           "error":"connection refused"}]}
        """;
    assertEquals(
        List.of(
            "ingest: source demo -> created qa v2 (486 train, 54 test, 3 quarantined)",
            "ingest: source inbox -> no-new-records (0 train, 0 test, 2 quarantined;"
                + " nothing new since the last pull)",
            "ingest: source dir -> not-modified (nothing new since the last pull)",
            "ingest: source http -> failed: connection refused"),
        SystemClient.describeIngest(new ObjectMapper().readTree(run)));
  }
}
