package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real broker whose partition got 16 flipped bytes in an old segment while it was stopped: after a clean restart,
 * REST reads are refused with a 500 problem naming the partition and the offset, health and the topic say why, the
 * damage is logged once, and an administrator's truncate-to-last-good brings the partition back.
 */
class CorruptDataIT {

    private static final String TOPIC = "ledger";
    private static final int BATCHES = 60;
    private static final int PER_BATCH = 2;

    @Test
    void aCorruptOldSegmentIsRefusedOverRestReportedAndTruncatedByAnAdministrator() throws Exception {
        Path work = ItEnvironment.workDir("corrupt-data");
        try (MicroBroker broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"))) {
            RestClient api = broker.client();
            assertEquals(201, api.post("topics", "{\"name\":\"" + TOPIC + "\",\"partitions\":1,"
                    + "\"configs\":{\"segment.bytes\":\"1024\"}}").status());
            for (int i = 0; i < BATCHES; i++) { // one batch per request
                JsonArrayBuilder records = Json.createArrayBuilder();
                for (int r = 0; r < PER_BATCH; r++)
                    records.add(Json.createObjectBuilder().add("value", "entry-" + i + "-" + r).add("partition", 0));
                RestClient.Reply written = api.post("topics/" + TOPIC + "/records",
                        Json.createObjectBuilder().add("records", records).build().toString());
                assertEquals(200, written.status(), written::toString);
            }
            broker.stop();
            long damaged = flipBytesInTheThirdSegment(work.resolve("data").resolve("logs").resolve(TOPIC + "-0"));
            broker.restart();
            api = broker.client();

            for (int attempt = 0; attempt < 3; attempt++) {
                RestClient.Reply refused = api.get("topics/" + TOPIC + "/partitions/0/records?offset=0&limit=1000");
                assertEquals(500, refused.status(), refused::toString);
                assertTrue(refused.contentType().startsWith("application/problem+json"), refused::toString);
                String detail = refused.json().getString("detail");
                assertTrue(detail.contains(TOPIC + "-0") && detail.contains("offset " + damaged), detail);
                assertEquals("KAFKA_STORAGE_ERROR", refused.json().getString("errorCode"));
            }
            HttpResponse<String> ready = get(broker.serverBase().resolve("health/ready"));
            assertEquals(503, ready.statusCode(), ready::body);
            assertTrue(ready.body().contains(TOPIC + "-0"), ready::body);
            JsonObject partition = api.get("topics/" + TOPIC).json().getJsonArray("partitions").getJsonObject(0);
            assertTrue(partition.getString("offlineReason").contains("offset " + damaged), partition::toString);
            String metrics = get(broker.serverBase().resolve("metrics?scope=application")).body();
            assertEquals(List.of(1.0), Stream.of(metrics.split("\n"))
                    .filter(line -> line.startsWith("tributary_log_corrupt_batches_total"))
                    .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).toList(), metrics);

            RestClient.Reply truncated = api.post("topics/" + TOPIC + "/partitions/0/truncate-to-last-good");
            assertEquals(200, truncated.status(), truncated::toString);
            assertEquals(damaged, truncated.json().getJsonNumber("logEndOffset").longValue());
            assertEquals(BATCHES * PER_BATCH - damaged, truncated.json().getJsonNumber("recordsDropped").longValue());
            RestClient.Reply again = api.post("topics/" + TOPIC + "/partitions/0/truncate-to-last-good");
            assertEquals(409, again.status(), again::toString);

            RestClient.Reply read = api.get("topics/" + TOPIC + "/partitions/0/records?offset=0&limit=1000");
            assertEquals(200, read.status(), read::toString);
            assertEquals(damaged, read.json().getJsonArray("records").size());
            assertEquals(200, get(broker.serverBase().resolve("health/ready")).statusCode());
            try (Stream<String> lines = Files.lines(broker.logFile())) {
                assertEquals(1, lines.filter(line -> line.contains("holds corrupt data at offset")).count(),
                        "logged once, not once per read");
            }
        }
    }

    /** Flips 16 bytes in the first record of the middle batch of the third segment; returns its base offset. */
    private static long flipBytesInTheThirdSegment(Path partitionDir) throws Exception {
        List<Path> segments;
        try (Stream<Path> files = Files.list(partitionDir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(segments.size() > 3, segments::toString);
        try (FileChannel channel = FileChannel.open(segments.get(2), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // Batches: 8-byte base offset, 4-byte length of the rest; the records start 61 bytes in.
            List<long[]> batches = new ArrayList<>();
            ByteBuffer header = ByteBuffer.allocate(12);
            for (long position = 0; position < channel.size(); ) {
                header.clear();
                channel.read(header, position);
                batches.add(new long[]{position, header.getLong(0)});
                position += 12 + header.getInt(8);
            }
            long[] victim = batches.get(batches.size() / 2);
            ByteBuffer bytes = ByteBuffer.allocate(16);
            channel.read(bytes, victim[0] + 61);
            for (int i = 0; i < 16; i++)
                bytes.put(i, (byte) ~bytes.get(i));
            bytes.rewind();
            channel.write(bytes, victim[0] + 61);
            return victim[1];
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
