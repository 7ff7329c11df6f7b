package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.tools.TopicCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka-topics.sh}, Kafka's own code, run in-process against the listener. */
class TopicCommandTest {

    @TempDir
    static Path dataDir;

    private static RunningKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void createsListsDescribesAndDeletesTopics() {
        String created = topics("--create", "--topic", "payments", "--partitions", "3", "--replication-factor", "1",
                "--config", "retention.ms=3600000").assertSucceeded().out();
        assertTrue(created.contains("Created topic payments."), created);
        topics("--create", "--topic", "refunds", "--partitions", "1").assertSucceeded();

        List<String> listed = topics("--list").assertSucceeded().out().lines().toList();
        assertTrue(listed.containsAll(List.of("payments", "refunds")), listed::toString);

        String described = topics("--describe", "--topic", "payments").assertSucceeded().out();
        assertTrue(described.contains("Topic: payments\tTopicId: "), described);
        assertTrue(described.contains("PartitionCount: 3\tReplicationFactor: 1"), described);
        assertTrue(described.contains("retention.ms=3600000"), described);
        for (int p = 0; p < 3; p++) {
            assertTrue(described.contains("Topic: payments\tPartition: " + p + "\tLeader: 0\tReplicas: 0\tIsr: 0"),
                    described);
        }

        String deleted = topics("--delete", "--topic", "refunds").assertSucceeded().out();
        assertEquals("", deleted.strip(), deleted);
        List<String> remaining = topics("--list").assertSucceeded().out().lines().toList();
        assertTrue(remaining.contains("payments"), remaining::toString);
        assertFalse(remaining.contains("refunds"), remaining::toString);
    }

    @Test
    void createOfAnExistingTopicFailsWithTheBrokersError() {
        topics("--create", "--topic", "twice", "--partitions", "1").assertSucceeded();
        InProcessTool.Result again = topics("--create", "--topic", "twice", "--partitions", "1").assertFailed();
        assertTrue(again.out().contains("Topic 'twice' already exists"), again::toString);
    }

    @Test
    void describeOfAnUnknownTopicFails() {
        InProcessTool.Result result = topics("--describe", "--topic", "nowhere").assertFailed();
        assertTrue(result.out().contains("Topic 'nowhere' does not exist"), result::toString);
    }

    @Test
    void alterAddsPartitions() {
        topics("--create", "--topic", "growing", "--partitions", "2").assertSucceeded();
        topics("--alter", "--topic", "growing", "--partitions", "5").assertSucceeded();
        String described = topics("--describe", "--topic", "growing").assertSucceeded().out();
        assertTrue(described.contains("PartitionCount: 5"), described);
        assertTrue(described.contains("Topic: growing\tPartition: 4\tLeader: 0"), described);
    }

    private static InProcessTool.Result topics(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", kafka.bootstrap()));
        all.addAll(Arrays.asList(args));
        return InProcessTool.run(TopicCommand::main, all.toArray(String[]::new));
    }
}
