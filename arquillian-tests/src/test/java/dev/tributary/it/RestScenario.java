package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;

/**
 * The REST data path end to end, written once and run against every way the broker is deployed (Payara Micro
 * through Arquillian, Payara Micro restarted as a process, the EAR on Payara Server).
 */
final class RestScenario {

    static final int PARTITIONS = 3;

    private final RestClient api;

    RestScenario(RestClient api) {
        this.api = api;
    }

    /** What a topic should hold: per partition, the records in offset order as the produce responses placed them. */
    record ExpectedTopic(String name, Map<Integer, List<JsonObject>> recordsByPartition) {

        int recordCount() {
            return recordsByPartition.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Creates a topic and produces keyed, unkeyed, binary, headered and timestamped records to it. */
    ExpectedTopic createAndProduce(String topic) {
        RestClient.Reply created = api.post("topics", Json.createObjectBuilder()
                .add("name", topic).add("partitions", PARTITIONS)
                .add("configs", Json.createObjectBuilder().add("retention.ms", 86_400_000))
                .build().toString());
        assertEquals(201, created.status(), created::toString);
        assertTrue(created.location().endsWith("/api/v1/topics/" + topic), created.location());
        assertEquals("86400000", created.json().getJsonObject("configs").getString("retention.ms"));
        assertEquals(Json.createObjectBuilder().add("retention.ms", "86400000").build(),
                created.json().getJsonObject("configOverrides"));
        assertEquals(PARTITIONS, created.json().getJsonArray("partitions").size());
        return produce(topic, new ExpectedTopic(topic, new TreeMap<>()), 0);
    }

    /** Appends another round of records to a topic made by {@link #createAndProduce}. */
    ExpectedTopic produce(String topic, ExpectedTopic expected, int round) {
        JsonArrayBuilder records = Json.createArrayBuilder();
        List<JsonObject> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(Json.createObjectBuilder().add("key", "key-" + round + "-" + i).add("value", "value-" + i)
                    .add("headers", Json.createObjectBuilder().add("trace", "t-" + i)).build());
        }
        sent.add(Json.createObjectBuilder().add("value", "no key").build());
        sent.add(Json.createObjectBuilder().add("keyBase64", base64(new byte[] {(byte) 0xff, 0}))
                .add("valueBase64", base64(new byte[] {0, 1, 2, (byte) 0xfe})).add("partition", 2).build());
        sent.forEach(records::add);
        RestClient.Reply reply = api.post("topics/" + topic + "/records",
                Json.createObjectBuilder().add("records", records).build().toString());
        assertEquals(200, reply.status(), reply::toString);
        JsonArray offsets = reply.json().getJsonArray("offsets");
        assertEquals(sent.size(), offsets.size());

        Map<Integer, List<JsonObject>> byPartition = new TreeMap<>(expected.recordsByPartition());
        for (int i = 0; i < sent.size(); i++) {
            JsonObject position = offsets.getJsonObject(i);
            int partition = position.getInt("partition");
            JsonObject record = sent.get(i);
            if (record.containsKey("key")) {
                byte[] key = record.getString("key").getBytes(StandardCharsets.UTF_8);
                assertEquals(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS, partition,
                        "a keyed record lands where Kafka's default partitioner puts it");
            }
            List<JsonObject> log = new ArrayList<>(byPartition.getOrDefault(partition, List.of()));
            long expectedOffset = log.isEmpty() ? 0 : log.get(log.size() - 1).getJsonNumber("offset").longValue() + 1;
            assertEquals(expectedOffset, position.getJsonNumber("offset").longValue(), "offsets are contiguous");
            log.add(Json.createObjectBuilder(record).add("offset", expectedOffset).build());
            byPartition.put(partition, log);
        }
        return new ExpectedTopic(topic, byPartition);
    }

    /** Every expected record reads back with its offset, key, value and headers; nothing else is there. */
    void verifyReadsBack(ExpectedTopic expected) {
        JsonObject topic = api.get("topics/" + expected.name()).json();
        for (int p = 0; p < PARTITIONS; p++) {
            List<JsonObject> want = expected.recordsByPartition().getOrDefault(p, List.of());
            RestClient.Reply reply = api.get("topics/" + expected.name() + "/partitions/" + p + "/records?offset=0&limit=1000");
            assertEquals(200, reply.status(), reply::toString);
            JsonArray got = reply.json().getJsonArray("records");
            assertEquals(want.size(), got.size(), "records in partition " + p);
            for (int i = 0; i < want.size(); i++) {
                assertSameRecord(want.get(i), got.getJsonObject(i));
            }
            long logEnd = topic.getJsonArray("partitions").getJsonObject(p).getJsonNumber("logEndOffset").longValue();
            assertEquals(want.size(), logEnd, "log end offset of partition " + p);
            assertEquals(logEnd, reply.json().getJsonNumber("nextOffset").longValue());
        }
    }

    /** Reading by timestamp starts at the first record at or after it (in a new topic of its own). */
    void verifyReadByTimestamp(String topic) {
        assertEquals(201, api.post("topics", "{\"name\":\"" + topic + "\",\"partitions\":2}").status());
        String records = Json.createObjectBuilder().add("records", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("value", "early").add("partition", 1).add("timestamp", 1_000))
                .add(Json.createObjectBuilder().add("value", "middle").add("partition", 1).add("timestamp", 2_000))
                .add(Json.createObjectBuilder().add("value", "late").add("partition", 1).add("timestamp", 3_000)))
                .build().toString();
        JsonArray offsets = api.post("topics/" + topic + "/records", records).json().getJsonArray("offsets");
        RestClient.Reply page = api.get("topics/" + topic + "/partitions/1/records?timestamp=1500&limit=1");
        assertEquals(200, page.status(), page::toString);
        JsonObject first = page.json().getJsonArray("records").getJsonObject(0);
        assertEquals("middle", first.getString("value"));
        assertEquals(offsets.getJsonObject(1).getJsonNumber("offset").longValue(),
                first.getJsonNumber("offset").longValue());
    }

    /** Bad input of every kind gets a problem+json answer with the right status and a useful detail. */
    void verifyErrors(String existingTopic) {
        assertProblem(409, "already exists", api.post("topics", "{\"name\":\"" + existingTopic + "\"}"));
        assertProblem(400, "invalid", api.post("topics", "{\"name\":\"bad name!\"}"));
        assertProblem(400, "Malformed JSON", api.post("topics", "{\"name\": "));
        assertProblem(400, "partitions", api.post("topics", "{\"name\":\"zero-partitions\",\"partitions\":0}"));
        assertProblem(400, "no.such.config", api.post("topics",
                "{\"name\":\"bad-config\",\"configs\":{\"no.such.config\":\"1\"}}"));
        assertProblem(400, "Replication factor 3 is larger than the 1 live broker", api.post("topics",
                "{\"name\":\"too-many-replicas\",\"replicationFactor\":3}"));
        assertProblem(404, "does not exist", api.get("topics/no-such-topic"));
        assertProblem(404, "no partition 99", api.get("topics/" + existingTopic + "/partitions/99/records"));
        assertProblem(416, "out of range", api.get("topics/" + existingTopic + "/partitions/0/records?offset=999999"));
        assertProblem(400, "limit", api.get("topics/" + existingTopic + "/partitions/0/records?limit=abc"));
        assertProblem(400, "offset", api.get("topics/" + existingTopic + "/partitions/0/records?offset=-1"));
        assertProblem(400, "at least one record", api.post("topics/" + existingTopic + "/records", "{\"records\":[]}"));
        assertProblem(400, "base64", api.post("topics/" + existingTopic + "/records",
                "{\"records\":[{\"valueBase64\":\"***\"}]}"));
        assertProblem(404, "no partition 7", api.post("topics/" + existingTopic + "/records",
                "{\"records\":[{\"value\":\"x\",\"partition\":7}]}"));
        String oversizedRecord = "{\"records\":[{\"value\":\"" + "x".repeat(1_100_000) + "\"}]}";
        assertProblem(413, "", api.post("topics/" + existingTopic + "/records", oversizedRecord));
        // On a connection of its own: the server closes the one of a refused upload (Connection: close), and Java's
        // HttpClient does not retry a POST that meets such a connection closing.
        String oversizedBody = "{\"records\":[{\"value\":\"" + "x".repeat(17 << 20) + "\"}]}";
        assertProblem(413, "exceeds", api.onNewConnections().post("topics/" + existingTopic + "/records",
                oversizedBody));
        assertProblem(400, "retention.ms", api.patch("topics/" + existingTopic + "/configs",
                "{\"retention.ms\":\"soon\"}"));
        assertProblem(400, "A topic needs a body", api.post("topics", ""));
        assertProblem(400, "Give the new partition count", api.post("topics/" + existingTopic + "/partitions", ""));
    }

    /**
     * Integers are read exactly: what a field cannot hold is refused naming it and echoing the value as sent, and
     * nothing is written; 1.0 is the integer 1.
     */
    void verifyExactNumbers(String existingTopic) {
        String records = "topics/" + existingTopic + "/records";
        long before = logEndOffsets(existingTopic);
        assertProblem(400, "records[0].partition must be a whole number from 0 to 2147483647, was '4294967297'",
                api.post(records, "{\"records\":[{\"value\":\"x\",\"partition\":4294967297}]}"));
        assertProblem(400, "records[1].partition must be a whole number from 0 to 2147483647, was '1.7'",
                api.post(records, "{\"records\":[{\"value\":\"x\"},{\"value\":\"y\",\"partition\":1.7}]}"));
        assertProblem(400, "records[0].timestamp must be a whole number from 0 to 9223372036854775807, was "
                + "'99999999999999999999'", api.post(records,
                "{\"records\":[{\"value\":\"x\",\"timestamp\":99999999999999999999}]}"));
        assertProblem(400, "was '1e30'", api.post(records, "{\"records\":[{\"value\":\"x\",\"timestamp\":1e30}]}"));
        assertEquals(before, logEndOffsets(existingTopic), "a refused batch writes nothing");

        assertProblem(400, "count must be a whole number from 1 to 10000, was '4294967299'",
                api.post("topics/" + existingTopic + "/partitions", "{\"count\":4294967299}"));
        assertProblem(400, "partitions must be a whole number from 1 to 10000, was '99999999999'",
                api.post("topics", "{\"name\":\"huge-partitions\",\"partitions\":99999999999}"));
        assertProblem(400, "limit must be a whole number from 1 to 10000, was '999999999999'",
                api.get("topics/" + existingTopic + "/partitions/0/records?limit=999999999999"));
        assertProblem(400, "partition must be a whole number from 0 to 2147483647, was '4294967296'",
                api.get("topics/" + existingTopic + "/partitions/4294967296/records"));
        assertProblem(400, "partitions[0] must be a whole number", api.post("groups/exact-numbers/offsets",
                "{\"topic\":\"" + existingTopic + "\",\"partitions\":[1.5],\"to\":\"earliest\"}"));

        RestClient.Reply whole = api.post(records, "{\"records\":[{\"value\":\"x\",\"partition\":1.0}]}");
        assertEquals(200, whole.status(), whole::toString);
        assertEquals(1, whole.json().getJsonArray("offsets").getJsonObject(0).getInt("partition"));
    }

    private long logEndOffsets(String topic) {
        return api.get("topics/" + topic).json().getJsonArray("partitions").stream()
                .mapToLong(p -> p.asJsonObject().getJsonNumber("logEndOffset").longValue()).sum();
    }

    /**
     * Offsets reset for a group nobody ever ran (kafka-consumer-groups --reset-offsets does that too) make it an
     * Empty group with those offsets, described like any other.
     */
    void verifyResetCreatesTheGroup(String topic) {
        String group = topic + "-readers";
        RestClient.Reply reset = api.post("groups/" + group + "/offsets",
                "{\"topic\":\"" + topic + "\",\"to\":\"latest\"}");
        assertEquals(200, reset.status(), reset::toString);
        RestClient.Reply described = api.get("groups/" + group);
        assertEquals(200, described.status(), described::toString);
        assertEquals("Empty", described.json().getString("state"));
        assertEquals(PARTITIONS, described.json().getJsonArray("offsets").size(), described::toString);
        assertTrue(api.get("groups").body().contains("\"" + group + "\""), "and listed");
    }

    /** Config overrides can be changed and removed again; a topic can become compacted and back. */
    void verifyConfigChanges(String topic) {
        RestClient.Reply changed = api.patch("topics/" + topic + "/configs", "{\"retention.ms\": 3600000}");
        assertEquals(200, changed.status(), changed::toString);
        assertEquals("3600000", changed.json().getJsonObject("configs").getString("retention.ms"));
        RestClient.Reply asDefault = api.patch("topics/" + topic + "/configs", "{\"retention.ms\": 604800000}");
        assertEquals("604800000", asDefault.json().getJsonObject("configOverrides").getString("retention.ms"),
                "an override equal to the default is still an override");
        RestClient.Reply reverted = api.patch("topics/" + topic + "/configs", "{\"retention.ms\": null}");
        assertEquals("604800000", reverted.json().getJsonObject("configs").getString("retention.ms"),
                "removing the override restores Kafka's default");
        assertTrue(!reverted.json().getJsonObject("configOverrides").containsKey("retention.ms"), reverted::toString);

        RestClient.Reply compacted = api.patch("topics/" + topic + "/configs",
                "{\"cleanup.policy\": \"compact,delete\", \"min.cleanable.dirty.ratio\": \"0.2\"}");
        assertEquals(200, compacted.status(), compacted::toString);
        assertEquals("compact,delete", compacted.json().getJsonObject("configs").getString("cleanup.policy"));
        JsonObject cleaner = compacted.json().getJsonArray("partitions").getJsonObject(0)
                .getJsonObject("cleaner");
        assertTrue(cleaner != null && !cleaner.getBoolean("failed"), "the cleaner's view: " + compacted);
        assertProblem(400, "String must be one of: compact, delete",
                api.patch("topics/" + topic + "/configs", "{\"cleanup.policy\": \"shred\"}"));
        RestClient.Reply deleteAgain = api.patch("topics/" + topic + "/configs",
                "{\"cleanup.policy\": null, \"min.cleanable.dirty.ratio\": null}");
        assertEquals("delete", deleteAgain.json().getJsonObject("configs").getString("cleanup.policy"));
        assertTrue(!deleteAgain.json().getJsonArray("partitions").getJsonObject(0).containsKey("cleaner"),
                "only a compacted topic shows the cleaner: " + deleteAgain);
    }

    /** Partitions can be added (never removed); the topic keeps its id. */
    void verifyPartitionGrowth(String topic) {
        String topicId = api.get("topics/" + topic).json().getString("topicId");
        assertEquals(22, topicId.length(), "Kafka's base64 form of a topic id: " + topicId);
        RestClient.Reply grown = api.post("topics/" + topic + "/partitions", "{\"count\": " + (PARTITIONS + 2) + "}");
        assertEquals(200, grown.status(), grown::toString);
        assertEquals(PARTITIONS + 2, grown.json().getInt("partitionCount"));
        assertEquals(PARTITIONS + 2, grown.json().getJsonArray("partitions").size());
        assertEquals(topicId, grown.json().getString("topicId"));
        assertEquals(200, api.get("topics/" + topic + "/partitions/" + (PARTITIONS + 1) + "/records").status());
        assertProblem(400, "would not be an increase", api.post("topics/" + topic + "/partitions", "{\"count\": 1}"));
        assertProblem(400, "count", api.post("topics/" + topic + "/partitions", "{}"));
        assertProblem(404, "does not exist", api.post("topics/no-such-topic/partitions", "{\"count\": 9}"));
    }

    void verifyDelete(String topic) {
        assertEquals(204, api.delete("topics/" + topic).status());
        assertProblem(404, "does not exist", api.get("topics/" + topic));
        assertTrue(api.get("topics").json().getJsonArray("topics").stream()
                .noneMatch(t -> t.asJsonObject().getString("name").equals(topic)));
    }

    /** No user: 401 with a challenge; a wrong role: 403; each role does what it is for; no password comes back. */
    void verifySecurity(String topic) {
        RestClient.Reply noUser = api.anonymous().get("topics");
        assertProblem(401, "Authentication required", noUser);
        assertTrue(noUser.challenge().startsWith("Basic realm=\"tributary\""), noUser.challenge());
        assertProblem(401, "Wrong user name or password", api.as("admin", "not-the-password").get("topics"));

        assertEquals(200, api.put("users/it-producer",
                "{\"password\":\"producer-secret\",\"roles\":[\"tributary-producer\"]}").status());
        assertEquals(200, api.put("users/it-consumer",
                "{\"password\":\"consumer-secret\",\"roles\":[\"tributary-consumer\"]}").status());
        assertProblem(400, "at least 8", api.put("users/it-short", "{\"password\":\"short\"}"));
        RestClient producer = api.as("it-producer", "producer-secret");
        RestClient consumer = api.as("it-consumer", "consumer-secret");

        String record = "{\"records\":[{\"key\":\"k\",\"value\":\"from the producer\"}]}";
        assertEquals(200, producer.post("topics/" + topic + "/records", record).status());
        assertProblem(403, "tributary-producer", consumer.post("topics/" + topic + "/records", record));
        assertEquals(200, consumer.get("topics/" + topic + "/partitions/0/records").status());
        assertProblem(403, "tributary-consumer", producer.get("topics/" + topic + "/partitions/0/records"));
        assertProblem(403, "tributary-admin", producer.post("topics", "{\"name\":\"not-allowed\"}"));
        assertProblem(403, "tributary-admin", consumer.get("users"));
        assertEquals(200, consumer.get("topics/" + topic).status(), "any user may describe a topic");

        RestClient.Reply users = api.get("users");
        assertTrue(users.body().contains("it-producer"), users.body());
        assertTrue(!users.body().contains("producer-secret"), "passwords never come back");
        assertEquals(204, api.delete("users/it-producer").status());
        assertProblem(401, "Wrong user name or password", producer.get("topics"));
    }

    /** ACL bindings added, listed and deleted over REST; bad input named. */
    void verifyAcls() {
        String acl = "{\"resourceType\":\"TOPIC\",\"resourceName\":\"orders-\",\"patternType\":\"PREFIXED\","
                + "\"principal\":\"User:alice\",\"operation\":\"WRITE\"}";
        assertEquals(201, api.post("acls", acl).status());
        JsonObject listed = api.get("acls?principal=User:alice").json().getJsonArray("acls").getJsonObject(0);
        assertEquals("orders-", listed.getString("resourceName"));
        assertEquals("ALLOW", listed.getString("permission"), "the default permission");
        assertEquals("*", listed.getString("host"), "the default host");
        assertProblem(400, "Unknown operation 'SING'", api.post("acls", acl.replace("WRITE", "SING")));
        assertProblem(400, "User:name", api.post("acls", acl.replace("User:alice", "alice")));
        assertProblem(400, "Name a principal", api.delete("acls"));
        assertEquals(1, api.delete("acls?principal=User:alice").json().getJsonArray("acls").size());
        assertEquals(0, api.get("acls?principal=User:alice").json().getJsonArray("acls").size());
    }

    /**
     * Seeded random bad input for a bounded number of requests: mutated JSON, wrong types, deep nesting, bad names,
     * bad offsets. Every answer is a clean 2xx/4xx (problem+json for errors, never a 5xx); {@code topic}'s records
     * read back unchanged afterwards. A failure names the seed.
     */
    void verifyFuzz(String topic, long seed, int requests) {
        java.util.Random random = new java.util.Random(seed);
        String before = allRecords(topic);
        List<String> bodies = List.of("{\"name\":\"fz\",\"partitions\":2,\"configs\":{\"retention.ms\":\"1000\"}}",
                "{\"records\":[{\"key\":\"k\",\"value\":\"v\",\"headers\":{\"h\":\"x\"},\"partition\":0}]}",
                "{\"retention.ms\":\"3600000\",\"cleanup.policy\":\"delete\"}",
                "{\"topic\":\"" + topic + "\",\"partitions\":[0],\"to\":\"offset\",\"offset\":1}");
        for (int i = 0; i < requests; i++) {
            String body = fuzzBody(bodies.get(random.nextInt(bodies.size())), random);
            // Valid writes to the checked topic would change it by request: they go to other names.
            String name = fuzzName(random, "fz");
            String readName = fuzzName(random, topic);
            RestClient.Reply reply;
            int kind = random.nextInt(7);
            try {
                reply = fuzzRequest(kind, name, readName, body, random);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", request " + i + " (kind " + kind + ", name '" + name
                        + "', body '" + abbreviated(body) + "'): " + e, e);
            }
            String context = "seed " + seed + ", request " + i + ": " + reply;
            assertTrue(reply.status() < 500, context);
            // The HTTP layer refuses some requests itself (a malformed URL), with a bare status: clean too.
            if (reply.status() >= 400 && !reply.body().isEmpty()) {
                assertTrue(reply.contentType().startsWith("application/problem+json"), context);
                assertTrue(!reply.json().getString("detail", "").isBlank(), context);
                assertTrue(reply.body().length() < 4096, context + ": an error never echoes a huge input");
            }
        }
        assertEquals(before, allRecords(topic), "seed " + seed + ": the existing records are unchanged");
    }

    /** One bad request of the given kind; a name to write to, one to read from. */
    private RestClient.Reply fuzzRequest(int kind, String name, String readName, String body,
                                         java.util.Random random) {
        return switch (kind) {
            case 0 -> api.post("topics", body);
            case 1 -> api.post("topics/" + name + "/records", body);
            case 2 -> api.patch("topics/" + name + "/configs", body);
            case 3 -> api.get("topics/" + readName + "/partitions/" + fuzzNumber(random) + "/records?offset="
                    + fuzzNumber(random) + "&limit=" + fuzzNumber(random));
            case 4 -> api.post("groups/" + name + "/offsets", body);
            case 5 -> api.get("topics/" + readName);
            default -> api.put("users/" + name, body);
        };
    }

    static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
    }

    private String allRecords(String topic) {
        StringBuilder all = new StringBuilder();
        int partitions = api.get("topics/" + topic).json().getJsonArray("partitions").size();
        for (int p = 0; p < partitions; p++) {
            all.append(api.get("topics/" + topic + "/partitions/" + p + "/records?offset=0&limit=10000").json()
                    .getJsonArray("records"));
        }
        return all.toString();
    }

    private static String fuzzBody(String valid, java.util.Random random) {
        StringBuilder body = new StringBuilder(valid);
        switch (random.nextInt(6)) {
            case 0 -> { // characters deleted
                for (int i = random.nextInt(5) + 1; i > 0 && body.length() > 1; i--)
                    body.deleteCharAt(random.nextInt(body.length()));
            }
            case 1 -> { // structural or odd characters inserted
                String odd = "{}[]\":,\\\u0000\u00e9\ud83d\ude00-1e999 ";
                for (int i = random.nextInt(5) + 1; i > 0; i--)
                    body.insert(random.nextInt(body.length() + 1), odd.charAt(random.nextInt(odd.length())));
            }
            case 2 -> { // a value of the wrong type
                String[] wrong = {"null", "[]", "{}", "true", "-1", "1e308", "99999999999999999999", "\"\""};
                return valid.replaceFirst(":(\"[^\"]*\"|\\d+|\\[[^\\]]*\\])", ":" + wrong[random.nextInt(wrong.length)]);
            }
            case 3 -> { // deep nesting
                int depth = 1 + random.nextInt(5000);
                return "[".repeat(depth) + "]".repeat(depth);
            }
            case 4 -> { // a long string value
                return valid.replaceFirst("\"v\"|\"fz\"", "\"" + "x".repeat(random.nextInt(200_000)) + "\"");
            }
            default -> { // not JSON at all
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                return new String(junk, StandardCharsets.ISO_8859_1);
            }
        }
        return body.toString();
    }

    private static String fuzzName(java.util.Random random, String existing) {
        String[] names = {existing, "", "..", "a/b", "%2e%2e", "x".repeat(300), "t\u00e9", "with space",
                "__consumer_offsets", "fz", "UPPER", "a.b_c-d"};
        String name = names[random.nextInt(names.length)];
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String fuzzNumber(java.util.Random random) {
        String[] numbers = {"0", "1", "-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999",
                "abc", "", "1.5", "0x10", "%00"};
        return numbers[random.nextInt(numbers.length)];
    }

    private static void assertSameRecord(JsonObject sent, JsonObject read) {
        assertAll(
                () -> assertEquals(sent.getJsonNumber("offset").longValue(), read.getJsonNumber("offset").longValue()),
                () -> assertEquals(text(sent, "key"), text(read, "key")),
                () -> assertEquals(text(sent, "keyBase64"), text(read, "keyBase64")),
                () -> assertEquals(text(sent, "value"), text(read, "value")),
                () -> assertEquals(text(sent, "valueBase64"), text(read, "valueBase64")),
                () -> assertEquals(sent.getJsonObject("headers"), read.getJsonObject("headers")));
    }

    private static String text(JsonObject object, String field) {
        return object.containsKey(field) && !object.isNull(field) ? object.getString(field) : null;
    }

    static void assertProblem(int status, String detailFragment, RestClient.Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
        JsonObject problem = reply.json();
        assertEquals(status, problem.getInt("status"));
        assertTrue(problem.getString("detail").contains(detailFragment),
                () -> "detail should mention '" + detailFragment + "': " + problem);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
