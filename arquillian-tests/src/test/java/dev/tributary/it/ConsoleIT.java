package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operator's console ({@code /console}) in a real browser (Debian's headless Chromium) against a broker in
 * Payara Micro, with Kafka clients on the other side: what the page shows is what the broker holds, and what the
 * page does is what a Kafka client then sees. Screenshots of the main pages land in
 * {@code target/console-screenshots} (the set in docs/console/ is copied from there).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String TOPIC = "console-orders";
    private static final String COMPACTED = "console-prices";
    private static final String GROUP = "console-group";
    private static final String VIEWER = "viewer";
    private static final String VIEWER_PASSWORD = "viewer-password";

    private static MicroBroker broker;
    private static ConsoleBrowser browser;
    private static RestClient admin;

    @BeforeAll
    static void startBrokerAndBrowser() {
        Path work = ItEnvironment.workDir("console");
        broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"));
        admin = broker.client();
        assertEquals(200, admin.put("users/" + VIEWER, "{\"password\":\"" + VIEWER_PASSWORD
                + "\",\"roles\":[\"tributary-consumer\"]}").status());
        browser = new ConsoleBrowser(broker.serverBase(), work,
                Path.of(System.getProperty("tributary.it.work")).getParent().resolve("console-screenshots"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void logsInWithTheBrokersOwnUsersAndShowsTheOverview() {
        browser.open();
        browser.awaitHeading("Sign in to Tributary");
        browser.screenshot("login");
        browser.logIn("admin", "not-the-password");
        browser.awaitText(By.cssSelector("[role=alert]"), "Wrong user name or password");

        browser.logIn(ItEnvironment.ADMIN, ItEnvironment.ADMIN_PASSWORD);
        browser.awaitHeading("Overview");
        assertTrue(browser.text(By.id("who")).contains("admin"));
        assertFalse(browser.find(By.id("insecure-banner")).isDisplayed(), "security is on: no banner");
        browser.awaitText(By.cssSelector("main"), "Cluster id");
        browser.awaitText(By.id("disk-free"), "B");
        // Every broker's traffic and disk: here the one broker, asked directly (the others would be over REST).
        WebElement self = browser.awaitText(By.cssSelector("#broker-stats tbody tr"), "(this broker)");
        assertTrue(self.getText().contains("alive"), self.getText());
        assertTrue(self.findElement(By.cssSelector("[data-metric=diskUsableBytes]")).getText().endsWith("B"),
                self.getText());
    }

    @Test
    @Order(2)
    void createsATopicFromThePageAndShowsAnApiErrorNextToTheForm() {
        browser.go("#/topics", "Topics");
        browser.type(By.id("new-topic-name"), TOPIC);
        browser.type(By.name("partitions"), "3");
        browser.type(By.name("configs"), "retention.ms=86400000");
        browser.click(By.cssSelector("form[aria-label='Create a topic'] button[type=submit]"));
        browser.awaitHeading("Topic " + TOPIC);
        assertEquals(3, browser.findAll(By.cssSelector("section[aria-labelledby=parts-h] tbody tr")).size());
        JsonObject topic = admin.get("topics/" + TOPIC).json();
        assertEquals(3, topic.getInt("partitionCount"));
        assertEquals("86400000", topic.getJsonObject("configOverrides").getString("retention.ms"));
        browser.screenshot("topic");

        browser.type(By.name("count"), "4");
        browser.click(By.cssSelector("form[aria-label='Add partitions'] button[type=submit]"));
        browser.await("a fourth partition", () -> browser.findAll(
                By.cssSelector("section[aria-labelledby=parts-h] tbody tr")).size() == 4);
        browser.type(By.name("configKey"), "retention.ms");
        browser.type(By.name("configValue"), "");
        browser.click(By.cssSelector("form[aria-label='Set a config'] button[type=submit]"));
        browser.await("retention.ms back to its default", () -> !admin.get("topics/" + TOPIC).json()
                .getJsonObject("configOverrides").containsKey("retention.ms"));
        assertEquals(4, admin.get("topics/" + TOPIC).json().getInt("partitionCount"));

        browser.go("#/topics", "Topics");
        browser.type(By.id("new-topic-name"), TOPIC);
        browser.click(By.cssSelector("form[aria-label='Create a topic'] button[type=submit]"));
        browser.awaitText(By.cssSelector("[role=alert]"), "already exists");
        browser.awaitText(By.cssSelector("[role=alert]"), "409");
    }

    @Test
    @Order(3)
    void showsRecordsAKafkaClientProducedWithTheirValues() throws Exception {
        Map<String, String> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 9; i++) {
                String value = "{\"order\":" + i + ",\"item\":\"widget-" + i + "\"}";
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, "key-" + i, value);
                record.headers().add("origin", "kafka-client".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                sent.put("key-" + i, value);
            }
        }
        browser.go("#/topics/" + TOPIC + "/records?partition=all&from=beginning&limit=100", "Records of " + TOPIC);
        browser.awaitText(By.id("records-count"), "9 records");
        Map<String, String> shown = new HashMap<>();
        for (WebElement row : browser.findAll(By.cssSelector("#records-table tbody tr"))) {
            shown.put(row.findElement(By.cssSelector("td.key")).getText(), row.findElement(By.cssSelector("td.value")).getText());
            assertTrue(row.getText().contains("origin=kafka-client"), row.getText());
        }
        assertEquals(sent, shown);

        browser.select(By.id("browse-view"), "json");
        browser.awaitText(By.cssSelector("#records-table"), "\"item\": \"widget-4\"");
        browser.type(By.id("browse-filter"), "widget-7");
        browser.awaitText(By.id("records-count"), "1 records (of 9 loaded)");
        browser.screenshot("records");

        // The topic's size on disk, in the list and on its page, is what the API says.
        long size = admin.get("topics/" + TOPIC).json().getJsonNumber("sizeBytes").longValue();
        assertTrue(size > 9 * 40, "nine records take room: " + size);
        browser.go("#/topics?q=" + TOPIC, "Topics");
        browser.awaitText(By.cssSelector("#topics-table tbody tr"), TOPIC);
        assertEquals(humanBytes(size), browser.text(By.cssSelector("#topics-table tbody tr td:nth-child(5)")));
        browser.go("#/topics/" + TOPIC, "Topic " + TOPIC);
        assertEquals(humanBytes(size) + " on disk on this broker", browser.text(By.id("topic-size")));
    }

    @Test
    @Order(4)
    void producesFromThePageWhatAKafkaConsumerThenReads() {
        browser.go("#/topics/" + TOPIC + "/records", "Records of " + TOPIC);
        browser.type(By.id("produce-key"), "from-page");
        browser.type(By.id("produce-value"), "hello from the browser");
        browser.type(By.id("produce-headers"), "source=console");
        browser.select(By.id("produce-partition"), "1");
        browser.click(By.id("produce-submit"));
        String done = browser.awaitText(By.cssSelector(".ok"), "Produced to partition 1 at offset").getText();
        Matcher offset = Pattern.compile("offset (\\d+)").matcher(done);
        assertTrue(offset.find(), done);

        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            TopicPartition partition = new TopicPartition(TOPIC, 1);
            consumer.assign(List.of(partition));
            consumer.seek(partition, Long.parseLong(offset.group(1)));
            List<ConsumerRecord<String, String>> read = poll(consumer, 1);
            assertEquals("from-page", read.get(0).key());
            assertEquals("hello from the browser", read.get(0).value());
            assertEquals("console", new String(read.get(0).headers().lastHeader("source").value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(5)
    void showsAGroupsLagAndResetsItsOffsetsAfterAPreview() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer(GROUP)) {
            consumer.subscribe(List.of(TOPIC));
            poll(consumer, 10); // the 9 records of the Kafka client and the one from the page
            consumer.commitSync();
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 2, "late-" + i, "late")).get();
            }
        }
        browser.go("#/groups", "Consumer groups");
        browser.awaitText(By.cssSelector("main table"), GROUP);
        browser.go("#/groups/" + GROUP, "Group " + GROUP);
        browser.awaitText(By.cssSelector("caption"), "Total lag 4");
        assertEquals("Empty", browser.text(By.id("group-state")));

        Map<Integer, Long> before = committed();
        browser.select(By.id("reset-to"), "earliest");
        browser.click(By.id("reset-preview"));
        browser.awaitText(By.id("reset-preview-table"), "nothing is changed until you apply");
        List<WebElement> newOffsets = browser.findAll(By.cssSelector("#reset-preview-table td.new-offset"));
        assertEquals(4, newOffsets.size(), "every partition of the topic");
        newOffsets.forEach(cell -> assertEquals("0", cell.getText()));
        assertEquals(before, committed(), "a preview commits nothing");
        browser.screenshot("group");

        browser.click(By.id("reset-apply"));
        browser.awaitText(By.cssSelector("caption"), "Total lag 14");
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L), committed());
        assertEquals(10, before.values().stream().mapToLong(Long::longValue).sum(), before.toString());
    }

    @Test
    @Order(6)
    void showsTheLogCleanersStateOfACompactedTopic() throws Exception {
        assertEquals(201, admin.post("topics", "{\"name\":\"" + COMPACTED + "\",\"partitions\":2,"
                + "\"configs\":{\"cleanup.policy\":\"compact\"}}").status());
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(COMPACTED, 0, "price", "v" + i)).get();
            }
        }
        browser.go("#/topics/" + COMPACTED, "Topic " + COMPACTED);
        browser.awaitText(By.cssSelector("section[aria-labelledby=cleaner-h]"), "min.cleanable.dirty.ratio");
        List<WebElement> rows = browser.findAll(By.cssSelector("section[aria-labelledby=cleaner-h] tbody tr"));
        assertEquals(2, rows.size(), "a row per partition held here");
        JsonObject partition0 = admin.get("topics/" + COMPACTED).json().getJsonArray("partitions")
                .getJsonObject(0).getJsonObject("cleaner");
        assertEquals(partition0.getString("state"), rows.get(0).findElement(By.cssSelector(".cleaner-state")).getText());
        browser.screenshot("topic-compacted");

        browser.go("#/topics/" + TOPIC, "Topic " + TOPIC);
        assertFalse(browser.has(By.id("cleaner-h")), "a topic that is not compacted has no cleaner");
    }

    @Test
    @Order(7)
    void deletesATopicOnlyAfterItsNameIsTyped() {
        assertEquals(201, admin.post("topics", "{\"name\":\"console-doomed\"}").status());
        browser.go("#/topics/console-doomed", "Topic console-doomed");
        browser.click(By.id("delete-topic"));
        WebElement confirm = browser.awaitPresent(By.cssSelector("dialog button.danger"));
        assertFalse(confirm.isEnabled(), "confirming needs the name");
        browser.type(By.name("confirmName"), "console-doomed");
        confirm.click();
        browser.awaitHeading("Topics");
        browser.await("the topic to be gone", () -> admin.get("topics/console-doomed").status() == 404);
    }

    @Test
    @Order(8)
    void showsTheSecurityPageToAdmins() {
        browser.go("#/security", "Security");
        browser.awaitText(By.cssSelector("main table"), VIEWER);
        browser.type(By.name("principal"), "User:viewer");
        browser.type(By.name("resourceName"), TOPIC);
        browser.select(By.name("operation"), "READ");
        browser.click(By.cssSelector("form[aria-label='Add an ACL'] button[type=submit]"));
        browser.awaitText(By.cssSelector("section[aria-labelledby=acls-h] table"), "TOPIC " + TOPIC);
        assertTrue(admin.get("acls?principal=User:viewer").body().contains(TOPIC));
        browser.screenshot("security");
    }

    @Test
    @Order(9)
    void hasNoSeriousOrCriticalAccessibilityViolations() {
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("#/overview", "Overview");
        pages.put("#/topics", "Topics");
        pages.put("#/topics/" + TOPIC, "Topic " + TOPIC);
        pages.put("#/topics/" + COMPACTED, "Topic " + COMPACTED);
        pages.put("#/topics/" + TOPIC + "/records?partition=all&from=beginning&limit=50", "Records of " + TOPIC);
        pages.put("#/groups", "Consumer groups");
        pages.put("#/groups/" + GROUP, "Group " + GROUP);
        pages.put("#/security", "Security");
        List<String> violations = new ArrayList<>();
        pages.forEach((hash, heading) -> {
            browser.go(hash, heading);
            if (hash.contains("/records")) {
                browser.awaitText(By.id("records-count"), "records");
            }
            browser.seriousAccessibilityViolations().forEach(v -> violations.add(hash + " " + v));
        });
        assertEquals(List.of(), violations);
    }

    @Test
    @Order(10)
    void aReadOnlyUserSeesWhatItMayReadAndNoButtonItMayNotUse() {
        browser.open();
        browser.logIn(VIEWER, VIEWER_PASSWORD);
        browser.awaitHeading("Overview");
        browser.awaitText(By.cssSelector("main"), "need the tributary-admin role");
        assertFalse(browser.find(By.cssSelector("#nav a[href='#/groups']")).isDisplayed());
        assertFalse(browser.find(By.cssSelector("#nav a[href='#/security']")).isDisplayed());

        browser.go("#/topics", "Topics");
        assertFalse(browser.has(By.id("new-topic-name")), "no create form");
        browser.go("#/topics/" + TOPIC, "Topic " + TOPIC);
        assertFalse(browser.has(By.id("delete-topic")), "no delete button");
        assertFalse(browser.has(By.cssSelector("form[aria-label='Set a config']")), "no config form");
        browser.screenshot("topic-read-only");
        browser.go("#/topics/" + TOPIC + "/records?partition=all&from=beginning&limit=20", "Records of " + TOPIC);
        browser.awaitText(By.id("records-count"), "records");
        assertFalse(browser.has(By.id("produce-key")), "no produce form");

        RestClient viewer = admin.as(VIEWER, VIEWER_PASSWORD);
        assertEquals(403, viewer.delete("topics/" + TOPIC).status(), "the server refuses regardless of the page");
        assertEquals(200, admin.get("topics/" + TOPIC).status());
    }

    @Test
    @Order(11)
    void theApiTellsTheConsoleWhoIsLoggedInAndSkipsTheBrowsersOwnLoginDialog() throws Exception {
        JsonObject me = admin.as(VIEWER, VIEWER_PASSWORD).get("me").json();
        assertEquals(VIEWER, me.getString("name"));
        assertEquals(List.of("tributary-consumer"), me.getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertTrue(me.getBoolean("securityEnabled"));
        assertEquals(3, admin.get("me").json().getJsonArray("roles").size());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> scripted = http.send(HttpRequest.newBuilder(broker.apiBase().resolve("me"))
                .header("X-Requested-With", "tributary-console").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, scripted.statusCode());
        assertTrue(scripted.headers().firstValue("WWW-Authenticate").isEmpty(), "no challenge for the console");
        assertTrue(scripted.body().contains("\"status\":401"), scripted.body());
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(broker.apiBase().resolve("me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(plain.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

        JsonObject stats = admin.get("stats").json();
        JsonObject orders = stats.getJsonArray("topics").getValuesAs(JsonObject.class).stream()
                .filter(t -> t.getString("topic").equals(TOPIC)).findFirst().orElseThrow();
        assertAll(() -> assertEquals(14, orders.getJsonNumber("recordsIn").longValue()),
                () -> assertTrue(orders.getJsonNumber("recordsOut").longValue() >= 10),
                () -> assertTrue(stats.getJsonNumber("logBytes").longValue() > 14 * 20, stats::toString),
                () -> assertTrue(stats.getJsonNumber("diskUsableBytes").longValue() > 0, stats::toString),
                () -> assertTrue(stats.getJsonNumber("diskTotalBytes").longValue()
                        >= stats.getJsonNumber("diskUsableBytes").longValue(), stats::toString),
                () -> assertTrue(stats.getJsonNumber("recordsIn").longValue() >= 14));
        JsonObject listed = admin.get("topics").json().getJsonArray("topics").getValuesAs(JsonObject.class).stream()
                .filter(t -> t.getString("name").equals(TOPIC)).findFirst().orElseThrow();
        assertEquals(14, listed.getJsonNumber("records").longValue(), listed::toString);
        assertEquals("delete", listed.getString("cleanupPolicy"), listed::toString);
        assertEquals(admin.get("topics/" + TOPIC).json().getJsonNumber("sizeBytes").longValue(),
                listed.getJsonNumber("sizeBytes").longValue(), listed::toString);

        JsonObject brokers = admin.as(VIEWER, VIEWER_PASSWORD).get("stats/brokers").json();
        JsonObject only = brokers.getJsonArray("brokers").getJsonObject(0);
        assertAll(() -> assertEquals(1, brokers.getJsonArray("brokers").size(), brokers::toString),
                () -> assertTrue(only.getBoolean("local") && only.getBoolean("reachable") && only.getBoolean("alive"),
                        only::toString),
                () -> assertTrue(only.getJsonObject("stats").getJsonNumber("logBytes").longValue() > 0,
                        only::toString));
        RestClient.Reply anonymous = admin.anonymous().get("stats/brokers");
        assertEquals(401, anonymous.status(), anonymous::toString);
        assertTrue(anonymous.contentType().startsWith("application/problem+json"), anonymous::toString);
        assertEquals(404, admin.post("groups/" + GROUP + "/offsets?dryRun=true",
                "{\"topic\":\"no-such-topic\",\"to\":\"latest\"}").status());
    }

    /**
     * The topics page with 1,000 topics and the record browser with 10,000 records, timed in the page (from the
     * route change to the rendered table, fetch included); the numbers go to docs/benchmarks.md.
     */
    @Test
    @Order(12)
    void rendersAThousandTopicsInUnderASecondAndTenThousandRecordsWithoutFreezing() throws Exception {
        for (int i = 0; i < 1000; i++) {
            assertEquals(201, admin.post("topics", String.format("{\"name\":\"perf-%04d\"}", i)).status());
        }
        browser.open();
        browser.logIn(ItEnvironment.ADMIN, ItEnvironment.ADMIN_PASSWORD);
        browser.awaitHeading("Overview");
        try (KafkaProducer<String, String> producer = producer()) {
            String value = "{\"payload\":\"" + "x".repeat(80) + "\"}";
            for (int i = 0; i < 10_000; i++) {
                producer.send(new ProducerRecord<>("perf-0000", 0, "k-" + i, value));
            }
            producer.flush();
        }
        // The overview's charts update by themselves: the burst shows as a produce rate.
        browser.await("a produce rate above zero", () -> !browser.text(By.cssSelector("[data-metric=recordsIn]")).equals("0"));
        browser.await("a few samples in the charts", () -> ((String) browser.script(
                "return document.querySelector('.spark').getAttribute('points')")).split(" ").length >= 4);
        browser.screenshot("overview");
        // The best of three loads: the box is shared, and one load can meet another build's burst.
        double topicsMs = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            browser.go("#/overview", "Overview");
            topicsMs = Math.min(topicsMs, timeRoute("/topics", "document.querySelectorAll('#topics-table tbody tr').length >= 1000"));
        }
        System.out.printf("console: 1,000+ topics page: %.0f ms from route to table, best of 3 (render alone %.1f ms)%n",
                topicsMs, browser.timings().get("topicsRenderMs").doubleValue());
        assertTrue(topicsMs < 1000, "the topics page took " + topicsMs + " ms");
        browser.screenshot("topics");
        // Each round left the overview while it was loading: what it loaded must not land on the topics page.
        assertFalse(browser.has(By.id("cluster-h")), "the overview drew into the topics page");

        double searchMs = ((Number) browser.script("const t = performance.now(); const s = document.getElementById('topic-search');"
                + "s.value = 'perf-09'; s.dispatchEvent(new Event('input')); return performance.now() - t")).doubleValue();
        assertEquals(100, browser.findAll(By.cssSelector("#topics-table tbody tr")).size());

        double recordsMs = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            browser.go("#/topics", "Topics");
            recordsMs = Math.min(recordsMs, timeRoute("/topics/perf-0000/records?partition=0&from=beginning&limit=10000",
                    "(document.getElementById('records-count') || {}).textContent?.startsWith('10,000 records')"));
        }
        double renderMs = browser.timings().get("recordsRenderMs").doubleValue();
        double nextPageMs = ((Number) browser.script("const t = performance.now();"
                + "[...document.querySelectorAll('#records button')].find(b => b.textContent === 'Next page').click();"
                + "return performance.now() - t")).doubleValue();
        browser.awaitText(By.id("records-count"), "page 2 of 100");
        double filterMs = ((Number) browser.script("const t = performance.now(); const f = document.getElementById('browse-filter');"
                + "f.value = 'k-9999'; f.dispatchEvent(new Event('input')); return performance.now() - t")).doubleValue();
        browser.awaitText(By.id("records-count"), "1 records (of 10,000 loaded)");
        System.out.printf("console: topic search %.1f ms; 10,000 records: %.0f ms from route to table, best of 3 (render alone %.1f ms),"
                + " next page %.1f ms, filter %.1f ms%n", searchMs, recordsMs, renderMs, nextPageMs, filterMs);
        assertTrue(renderMs < 200 && nextPageMs < 200 && filterMs < 200,
                "the page froze: render " + renderMs + ", next page " + nextPageMs + ", filter " + filterMs + " ms");
        assertTrue(recordsMs < 5000, "10,000 records took " + recordsMs + " ms to show");
    }

    /** A byte count as the console writes it (dom.js's {@code bytes}). */
    private static String humanBytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Milliseconds, measured in the page, from setting the route to {@code condition} holding (checked each frame). */
    private static double timeRoute(String route, String condition) {
        return ((Number) browser.asyncScript("const done = arguments[arguments.length - 1]; const t = performance.now();"
                + "location.hash = arguments[0];"
                + "const check = () => (" + condition + ") ? done(performance.now() - t) : requestAnimationFrame(check);"
                + "requestAnimationFrame(check);", route)).doubleValue();
    }

    private static Map<Integer, Long> committed() {
        Map<Integer, Long> offsets = new HashMap<>();
        admin.get("groups/" + GROUP).json().getJsonArray("offsets").getValuesAs(JsonObject.class)
                .forEach(o -> offsets.put(o.getInt("partition"), o.getJsonNumber("committedOffset").longValue()));
        return offsets;
    }

    private static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config);
    }

    /** Polls until {@code count} records arrived (30 s at most). */
    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
        assertEquals(count, read.size(), "records read");
        return read;
    }
}
