package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CleanerCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsInKafkasFormat() throws IOException {
        CleanerCheckpoint checkpoint = new CleanerCheckpoint(dir);
        assertEquals(Map.of(), checkpoint.read(), "no file: nothing cleaned yet");
        checkpoint.write(Map.of(new TopicPartition("my-topic", 1), 42L, new TopicPartition("a", 0), 7L));
        assertEquals("0\n2\na 0 7\nmy-topic 1 42\n", Files.readString(dir.resolve("cleaner-offset-checkpoint")));
        assertEquals(Map.of(new TopicPartition("my-topic", 1), 42L, new TopicPartition("a", 0), 7L),
                checkpoint.read());
    }

    @Test
    void aDamagedFileIsReadAsEmptySoEverythingIsCleanedAgain() throws IOException {
        CleanerCheckpoint checkpoint = new CleanerCheckpoint(dir);
        Path file = dir.resolve(CleanerCheckpoint.FILE_NAME);
        for (String content : new String[]{"", "1\n0\n", "0\n2\na 0 7\n", "0\n1\na zero 7\n", "0\n1\na 0 -7\n",
                "0\n1\na 0\n"}) {
            Files.writeString(file, content);
            assertEquals(Map.of(), checkpoint.read(), content);
        }
    }
}
