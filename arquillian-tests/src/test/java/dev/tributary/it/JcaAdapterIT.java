package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.it.jcabad.MisconfiguredListener;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The resource adapter as applications use it: Payara Micro with tributary-jca.rar and the server-wide connection
 * factory (post-boot commands), tributary.war and, deployed after them, a test application (its own and the
 * server-wide connection factory, message-driven beans) and a misconfigured one.
 * One server for every scenario (boots are slow); the last scenario restarts it.
 *
 * <p>Not an Arquillian test: Arquillian's Payara Micro container runs one archive per server, and here the broker
 * WAR and the application must run side by side, as users run them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JcaAdapterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** For 10,000 deliveries, each committing its offset. */
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);
    private static final int ORDERS = 10_010;

    private static MicroBroker broker;
    private static RestClient rest;
    private static JcaTestApp app;

    @BeforeAll
    static void deploy() throws IOException {
        Path work = ItEnvironment.workDir("jca");
        Path appWar = JcaTestApp.archive(work);
        Path badWar = JcaTestApp.export(ShrinkWrap.create(WebArchive.class, "jca-bad.war")
                .addPackage(MisconfiguredListener.class.getPackage()), work);
        broker = MicroBroker.start(work.resolve("data"), work.resolve("server.log"), List.of(appWar, badWar));
        rest = broker.client();
        app = new JcaTestApp(broker);
        app.awaitDeployed();
        createTopic("jca-orders", 3);
        createTopic("jca-plain", 2);
        createTopic("jca-poison", 1);
        createTopic("jca-dead-letters", 1);
        createTopic("jca-shared", 4);
    }

    @AfterAll
    static void shutDown() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void aSendOutsideATransactionIsInTheLogWhenItReturns() {
        for (String via : List.of("send", "send-server-wide")) {
            String[] landed = post(via + "?topic=jca-plain&key=customer-7&value=hello-" + via).split(" ");
            JsonArray records = rest.get("topics/jca-plain/partitions/" + landed[0] + "/records?offset=" + landed[1])
                    .json().getJsonArray("records");
            assertEquals("hello-" + via, records.getJsonObject(0).getString("value"));
            assertEquals("customer-7", records.getJsonObject(0).getString("key"));
            // Keyed records go where Kafka's default partitioner puts them.
            assertEquals(Utils.toPositive(Utils.murmur2("customer-7".getBytes(StandardCharsets.UTF_8))) % 2,
                    Integer.parseInt(landed[0]));
        }
    }

    @Test
    @Order(2)
    void committedTransactionsReachTheBeanInOrderAndRolledBackOnesNeverAppear() {
        for (int tx = 0; tx < 10; tx++) {
            post("send-tx?topic=jca-orders&prefix=committed" + tx + "&count=1000&commit=true");
        }
        post("send-tx?topic=jca-orders&prefix=rolledback&count=20&commit=false");
        for (int i = 0; i < 10; i++) {
            post("send?topic=jca-orders&key=plain-" + i + "&value=plain-" + i);
        }

        List<String> inLog = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            rest.get("topics/jca-orders/partitions/" + p + "/records?limit=10000").json().getJsonArray("records")
                    .forEach(r -> inLog.add(r.asJsonObject().getString("value")));
        }
        assertEquals(ORDERS, inLog.size(), "10,000 committed in transactions + 10 sent outside");
        assertTrue(inLog.stream().noneMatch(v -> v.startsWith("rolledback")), "nothing of the rolled-back one");

        awaitTrue("the bean received all of them", () -> received("orders").size() >= ORDERS, LONG_WAIT);
        List<String[]> lines = received("orders").stream().map(l -> l.split(" ")).toList();
        assertEquals(ORDERS, lines.size(), "each record once");
        Map<String, Long> lastOffset = new HashMap<>();
        for (String[] line : lines) {
            long offset = Long.parseLong(line[2]);
            Long previous = lastOffset.put(line[1], offset);
            assertTrue(previous == null || offset == previous + 1, "partition " + line[1] + " in order: "
                    + previous + " then " + offset);
            assertTrue(!line[4].startsWith("rolledback"));
        }
    }

    @Test
    @Order(3)
    void aFailingRecordIsRetriedThenDeadLetteredWithItsOrigin() {
        post("send?topic=jca-poison&key=a&value=ok-1");
        post("send?topic=jca-poison&key=b&value=poison-1");
        post("send?topic=jca-poison&key=c&value=ok-2");

        awaitTrue("the healthy records get through", () -> values(received("poison")).equals(List.of("ok-1", "ok-2")));
        assertEquals(3, values(received("poison-attempts")).stream().filter("poison-1"::equals).count(),
                "one delivery and two retries");
        JsonArray dead = rest.get("topics/jca-dead-letters/partitions/0/records").json().getJsonArray("records");
        assertEquals(1, dead.size());
        JsonObject letter = dead.getJsonObject(0);
        assertEquals("poison-1", letter.getString("value"));
        assertEquals("b", letter.getString("key"));
        JsonObject headers = letter.getJsonObject("headers");
        assertEquals("jca-poison", headers.getString("tributary.dlt.origin.topic"));
        assertEquals("0", headers.getString("tributary.dlt.origin.partition"));
        assertEquals("1", headers.getString("tributary.dlt.origin.offset"));
        assertEquals("java.lang.IllegalArgumentException: cannot digest poison-1",
                headers.getString("tributary.dlt.exception"));
    }

    @Test
    @Order(4)
    void twoBeansAndAKafkaConsumerInOneGroupSplitThePartitions() {
        try (KafkaConsumer<String, String> consumer = consumer("jca-shared-group")) {
            consumer.subscribe(List.of("jca-shared"));
            List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
            pollUntil(consumer, consumed, () -> !consumer.assignment().isEmpty() && groupMembers() == 3);
            Set<Integer> mine = consumer.assignment().stream().map(TopicPartition::partition)
                    .collect(Collectors.toSet());

            for (int i = 0; i < 40; i++) {
                post("send?topic=jca-shared&key=k" + i + "&value=v" + i);
            }
            pollUntil(consumer, consumed,
                    () -> consumed.size() + received("shared-a").size() + received("shared-b").size() >= 40);

            assertEquals(40, consumed.size() + received("shared-a").size() + received("shared-b").size(),
                    "each record once, to one member");
            Set<Integer> beanA = partitionsOf(received("shared-a"));
            Set<Integer> beanB = partitionsOf(received("shared-b"));
            assertTrue(consumed.stream().allMatch(r -> mine.contains(r.partition())));
            assertTrue(beanA.stream().noneMatch(p -> mine.contains(p) || beanB.contains(p)),
                    "disjoint shares: consumer " + mine + ", beans " + beanA + " and " + beanB);
            assertTrue(beanB.stream().noneMatch(mine::contains));
            rest.get("groups/jca-shared-group").json().getJsonArray("members").forEach(member -> assertTrue(
                    !member.asJsonObject().getJsonArray("assignment").isEmpty(), "every member has a share"));
        }
    }

    private static int groupMembers() {
        JsonObject group = rest.get("groups/jca-shared-group").json();
        return "Stable".equals(group.getString("state")) ? group.getJsonArray("members").size() : 0;
    }

    private static Set<Integer> partitionsOf(List<String> lines) {
        return lines.stream().map(l -> Integer.parseInt(l.split(" ")[1])).collect(Collectors.toSet());
    }

    @Test
    @Order(5)
    void anInvalidActivationConfigFailsTheDeploymentNamingTheProperty() throws IOException {
        awaitTrue("the misconfigured application failed to deploy", () -> log()
                .contains("Invalid Tributary activation config property 'maxConcurrency'"));
    }

    @Test
    @Order(6)
    void afterARestartTheBeanResumesFromItsCommittedOffsets() {
        awaitTrue("everything before is delivered", () -> received("orders").size() >= ORDERS, LONG_WAIT);
        broker.stop();
        broker.restart();
        app.awaitDeployed();

        for (int i = 0; i < 5; i++) {
            post("send?topic=jca-orders&key=after-" + i + "&value=after-restart-" + i);
        }
        awaitTrue("the new records arrive", () -> received("orders").size() >= 5);
        assertEquals(Set.of("after-restart-0", "after-restart-1", "after-restart-2", "after-restart-3",
                "after-restart-4"), new HashSet<>(values(received("orders"))), "nothing committed is redelivered");
    }

    private static String post(String path) {
        return app.post(path);
    }

    private static List<String> received(String listener) {
        return app.received(listener);
    }

    private static List<String> values(List<String> lines) {
        return JcaTestApp.values(lines);
    }

    private static void createTopic(String name, int partitions) {
        RestClient.Reply reply = rest.post("topics", "{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}");
        assertEquals(201, reply.status(), reply::toString);
    }

    private static String log() {
        try {
            return Files.readString(broker.logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KafkaConsumer<String, String> consumer(String groupId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    private static void pollUntil(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> into,
                                  BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + WAIT + "; the consumer has "
                    + consumer.assignment() + "; see " + broker.logFile());
            consumer.poll(Duration.ofMillis(200)).forEach(into::add);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        awaitTrue(what, condition, WAIT);
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Duration wait) {
        app.await(what, condition, wait);
    }
}
