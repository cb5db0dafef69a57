package dev.conveyor.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import dev.conveyor.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class SecurityTest extends RegistryTestBase {

  @Test
  void adminEndpointsRefuseWithoutAnAdminCredential() {
    Flow f = flow("secure");
    f.train(run(f, 1), "req-1", 1);
    versionWithStatus(f.model, 1, "registered");
    String[] admin = {
      "/models/" + f.model + "/versions/1/promote",
      "/models/" + f.model + "/aliases/champion/rollback",
      "/models/" + f.model + "/versions/1/archive"
    };
    for (String path : admin) {
      given()
          .post(path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", containsString("Basic"))
          .body("status", equalTo(401));
      given()
          .auth()
          .preemptive()
          .basic(ADMIN, "wrong")
          .post(path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
      given()
          .auth()
          .preemptive()
          .basic("viewer", "test-viewer-secret")
          .post(path)
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("title", equalTo("Forbidden"));
    }
    // nothing moved
    given().get("/models/{m}/aliases/champion", f.model).then().statusCode(404);
    given()
        .get("/models/{m}/aliases/champion/history", f.model)
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
    // reads need no credential
    given().get("/models").then().statusCode(200);
    given()
        .get("/models/{m}/versions/1", f.model)
        .then()
        .statusCode(200)
        .body("status", equalTo("registered"));
  }

  @Test
  void adminActionsArchiveAndConflicts() {
    Flow f = flow("admin");
    f.train(run(f, 1), "req-1", 1);
    versionWithStatus(f.model, 1, "registered");
    f.train(run(f, 2), "req-2", 1);
    versionWithStatus(f.model, 2, "registered");

    admin()
        .post("/models/{m}/versions/1/promote", f.model)
        .then()
        .statusCode(200)
        .body("reason", equalTo("manual"))
        .body("actor", equalTo("user:admin"));
    admin()
        .post("/models/{m}/versions/1/promote", f.model)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("already the champion"));
    admin()
        .post("/models/{m}/versions/1/archive", f.model)
        .then()
        .statusCode(409)
        .body("detail", containsString("is the champion"));
    admin()
        .post("/models/{m}/aliases/champion/rollback", f.model)
        .then()
        .statusCode(409)
        .body("detail", containsString("no earlier champion"));
    admin().post("/models/{m}/versions/2/promote", f.model).then().statusCode(200);
    admin()
        .post("/models/{m}/versions/1/archive", f.model)
        .then()
        .statusCode(200)
        .body("status", equalTo("archived"));
    admin()
        .post("/models/{m}/versions/1/promote", f.model)
        .then()
        .statusCode(409)
        .body("detail", containsString("archived"));
    // the only earlier champion is archived: nothing to roll back to
    admin().post("/models/{m}/aliases/champion/rollback", f.model).then().statusCode(409);
    admin()
        .post("/models/{m}/versions/9/promote", f.model)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    admin().post("/models/nope-{m}/versions/1/promote", f.model).then().statusCode(404);
    given()
        .get("/models/nope-{m}", f.model)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("$", hasKey("instance"));
  }

  @Test
  void theApiIsDescribedByOpenApi() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/models/{name}/aliases/champion"))
        .body("paths", hasKey("/models/{name}/versions/{version}/lineage"))
        .body("paths", hasKey("/models/{name}/aliases/champion/rollback"))
        .body("components.securitySchemes", hasKey("admin"));
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD);
  }
}
