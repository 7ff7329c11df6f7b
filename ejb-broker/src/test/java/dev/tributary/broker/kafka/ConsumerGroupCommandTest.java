package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka-consumer-groups.sh}, Kafka's own code, run in-process against the listener: it lists a group,
 * describes its members, offsets and lag, resets its offsets and deletes it.
 */
class ConsumerGroupCommandTest {

    private static final String TOPIC = "invoices";
    private static final String GROUP = "billing";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 2, (short) 1, Map.of()));
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i < 6 ? 0 : 1, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void describesAnActiveGroupWithItsMembersOffsetsAndLag() {
        try (KafkaConsumer<String, String> member = member()) {
            member.commitSync(Map.of(P0, new OffsetAndMetadata(4), P1, new OffsetAndMetadata(1)));

            assertTrue(groups("--list").assertSucceeded().out().lines().toList().contains(GROUP));

            List<Map<String, String>> rows = table(groups("--describe", "--group", GROUP).assertSucceeded().out());
            assertEquals(2, rows.size(), rows::toString);
            assertRow(rows, 0, "4", "6", "2");
            assertRow(rows, 1, "1", "4", "3");
            rows.forEach(row -> assertEquals("cashier", row.get("CLIENT-ID"), row::toString));
            rows.forEach(row -> assertTrue(row.get("CONSUMER-ID").startsWith("cashier-"), row::toString));

            List<Map<String, String>> members = table(groups("--describe", "--group", GROUP, "--members",
                    "--verbose").assertSucceeded().out());
            assertEquals(1, members.size(), members::toString);
            assertEquals("2", members.get(0).get("#PARTITIONS"), members::toString);

            List<Map<String, String>> state = table(groups("--describe", "--group", GROUP, "--state")
                    .assertSucceeded().out());
            assertEquals("Stable", state.get(0).get("STATE"), state::toString);
            assertEquals("1", state.get(0).get("#MEMBERS"), state::toString);

            // The tool reports a refused deletion but exits 0 (as it does against Kafka).
            InProcessTool.Result refused = groups("--delete", "--group", GROUP);
            assertTrue(refused.out().contains("GroupNotEmptyException: The group is not empty."), refused::toString);
        }
    }

    /** A group of the consumer group protocol (KIP-848): the tool describes it through ConsumerGroupDescribe. */
    @Test
    void describesAConsumerProtocolGroup() {
        try (KafkaConsumer<String, String> member = member(kafka.consumerProtocolMember(GROUP, "cashier",
                new Properties()))) {
            member.commitSync(Map.of(P0, new OffsetAndMetadata(4), P1, new OffsetAndMetadata(1)));

            List<Map<String, String>> rows = table(groups("--describe", "--group", GROUP).assertSucceeded().out());
            assertEquals(2, rows.size(), rows::toString);
            assertRow(rows, 0, "4", "6", "2");
            assertRow(rows, 1, "1", "4", "3");
            rows.forEach(row -> assertEquals("cashier", row.get("CLIENT-ID"), row::toString));

            List<Map<String, String>> members = table(groups("--describe", "--group", GROUP, "--members",
                    "--verbose").assertSucceeded().out());
            assertEquals(1, members.size(), members::toString);
            assertEquals("2", members.get(0).get("#PARTITIONS"), members::toString);

            String state = groups("--describe", "--group", GROUP, "--state", "--verbose").assertSucceeded().out();
            Map<String, String> row = table(state).get(0);
            assertEquals("Stable", row.get("STATE"), state);
            assertEquals("uniform", row.get("ASSIGNMENT-STRATEGY"), state);
            assertEquals("1", row.get("#MEMBERS"), state);

            String listed = groups("--list", "--type").assertSucceeded().out();
            assertTrue(listed.lines().anyMatch(line -> line.matches(GROUP + "\\s+Consumer\\s*")), listed);
        }
    }

    @Test
    void resetsTheOffsetsOfAnEmptyGroupToEarliestAndDeletesIt() {
        try (KafkaConsumer<String, String> member = member()) {
            member.commitSync(Map.of(P0, new OffsetAndMetadata(6), P1, new OffsetAndMetadata(4)));
        }
        List<Map<String, String>> described = table(groups("--describe", "--group", GROUP).assertSucceeded().out());
        assertRow(described, 0, "6", "6", "0");
        described.forEach(row -> assertEquals("-", row.get("CONSUMER-ID"), "no member: " + row));
        assertEquals("Empty", table(groups("--describe", "--group", GROUP, "--state").assertSucceeded().out())
                .get(0).get("STATE"));

        List<Map<String, String>> planned = table(groups("--reset-offsets", "--group", GROUP, "--topic", TOPIC,
                "--to-earliest", "--dry-run").assertSucceeded().out());
        assertEquals(List.of("0", "0"), planned.stream().map(row -> row.get("NEW-OFFSET")).toList());
        assertRow(table(groups("--describe", "--group", GROUP).assertSucceeded().out()), 1, "4", "4", "0");

        groups("--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-earliest", "--execute")
                .assertSucceeded();
        List<Map<String, String>> reset = table(groups("--describe", "--group", GROUP).assertSucceeded().out());
        assertRow(reset, 0, "0", "6", "6");
        assertRow(reset, 1, "0", "4", "4");

        String deleted = groups("--delete", "--group", GROUP).assertSucceeded().out();
        assertTrue(deleted.contains("Deletion of requested consumer groups ('" + GROUP + "') was successful."),
                deleted);
        assertFalse(groups("--list").assertSucceeded().out().lines().toList().contains(GROUP));
    }

    /** A member of the group that has consumed everything (and committed nothing). */
    private KafkaConsumer<String, String> member() {
        return member(kafka.groupMember(GROUP, "cashier", new Properties()));
    }

    private static KafkaConsumer<String, String> member(KafkaConsumer<String, String> consumer) {
        consumer.subscribe(List.of(TOPIC));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int consumed = 0;
        while (consumed < 10) {
            assertTrue(System.nanoTime() < deadline, "consumed " + consumed + " of 10");
            consumed += consumer.poll(Duration.ofMillis(100)).count();
        }
        return consumer;
    }

    private InProcessTool.Result groups(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", kafka.bootstrap()));
        all.addAll(Arrays.asList(args));
        return InProcessTool.run(ConsumerGroupCommand::main, all.toArray(String[]::new));
    }

    private static void assertRow(List<Map<String, String>> rows, int partition, String current, String logEnd,
                                  String lag) {
        Map<String, String> row = rows.stream()
                .filter(r -> TOPIC.equals(r.get("TOPIC")) && Integer.toString(partition).equals(r.get("PARTITION")))
                .findFirst().orElseThrow(() -> new AssertionError("no row for partition " + partition + ": " + rows));
        assertEquals(GROUP, row.get("GROUP"), row::toString);
        assertEquals(current, row.get("CURRENT-OFFSET"), row::toString);
        assertEquals(logEnd, row.get("LOG-END-OFFSET"), row::toString);
        assertEquals(lag, row.get("LAG"), row::toString);
    }

    /**
     * The rows of the whitespace-aligned table the tool prints after a header line starting with {@code GROUP},
     * as column name to value (values never contain spaces here).
     */
    private static List<Map<String, String>> table(String output) {
        List<String> lines = output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith("GROUP "))
            header++;
        assertTrue(header < lines.size(), () -> "no table in:\n" + output);
        String[] columns = lines.get(header).split("\\s+");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(header + 1, lines.size())) {
            String[] values = line.split("\\s+");
            assertEquals(columns.length, values.length, () -> "row '" + line + "' of:\n" + output);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < columns.length; i++)
                row.put(columns[i], values[i]);
            rows.add(row);
        }
        return rows;
    }
}
