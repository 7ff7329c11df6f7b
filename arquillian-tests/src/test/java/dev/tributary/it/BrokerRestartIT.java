package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A real broker keeps every acknowledged record across a clean restart and across a kill -9. */
class BrokerRestartIT {

    @Test
    void keepsEverythingAcrossCleanRestartsAndKills() {
        var work = ItEnvironment.workDir("restart");
        try (MicroBroker broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"))) {
            RestScenario scenario = new RestScenario(broker.client());
            RestScenario.ExpectedTopic topic = scenario.createAndProduce("restart-orders");
            scenario.verifyReadsBack(topic);

            broker.stop();
            for (int p = 0; p < RestScenario.PARTITIONS; p++) {
                Path partitionDir = work.resolve("data").resolve("logs").resolve(topic.name() + "-" + p);
                assertTrue(Files.exists(partitionDir.resolve(".clean-shutdown")),
                        "SIGTERM closes every log cleanly, so the next start skips recovery: " + partitionDir);
            }
            broker.restart();
            scenario = new RestScenario(broker.client());
            scenario.verifyReadsBack(topic);

            topic = scenario.produce(topic.name(), topic, 1);
            broker.kill();
            broker.restart();
            scenario = new RestScenario(broker.client());
            scenario.verifyReadsBack(topic);
        }
    }
}
