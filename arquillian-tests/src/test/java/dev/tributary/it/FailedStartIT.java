package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A broker whose start fails in a server run without {@code bin/tributary} (here: on a data directory another
 * broker holds) keeps its server running and says so: health checks DOWN with the reason, the REST API 503
 * problem+json, never an error page.
 */
class FailedStartIT {

    @Test
    void aBrokerThatCouldNotStartIsDownWithTheReasonAndItsApiAnswers503() {
        Path work = ItEnvironment.workDir("failed-start");
        Path dataDir = work.resolve("data");
        try (MicroBroker first = MicroBroker.start(dataDir, work.resolve("first.log"));
             MicroBroker second = MicroBroker.launch(dataDir, work.resolve("second.log"))) {
            RestClient anonymous = new RestClient(second.serverBase().resolve("health/")).anonymous();
            assertTrue(MicroBroker.poll(Duration.ofSeconds(180), () -> {
                try {
                    return anonymous.get("live").status() == 503;
                } catch (RuntimeException notListeningYet) {
                    return false;
                }
            }), "the second broker's liveness goes DOWN");

            JsonObject check = anonymous.get("live").json().getJsonArray("checks").getJsonObject(0);
            assertEquals("DOWN", check.getString("status"));
            assertEquals("failed to start", check.getJsonObject("data").getString("state"));
            String failure = check.getJsonObject("data").getString("failure");
            assertTrue(failure.contains(dataDir.toString()) && failure.contains("in use"), failure);
            assertEquals(503, anonymous.get("ready").status());

            for (RestClient client : new RestClient[] {second.client(), second.client().anonymous()}) {
                RestClient.Reply topics = client.get("topics");
                assertEquals(503, topics.status(), topics::toString);
                assertTrue(topics.contentType().startsWith("application/problem+json"), topics::toString);
                assertTrue(topics.json().getString("detail").contains(failure), topics::toString);
                assertNull(topics.challenge(), "no password asked of a broker that cannot check it");
            }
            assertTrue(second.isAlive(), "the server keeps running for the operator to look at");
            assertFalse(first.client().get("topics").status() >= 500, "the first broker is untouched");
        }
    }
}
