package dev.tributary.broker.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * A source connector of the test code, as small as Kafka's {@code FileStreamSource}: each complete line appended to
 * a file ({@code file}) becomes a record of {@code topic}, at most {@code batch.size} per poll. Its source offset is
 * the byte position after the last line sent, so a task started anew (another worker, a restart) goes on from where
 * the worker last committed, and nothing but Connect's offsets topic remembers it.
 */
public final class LineFileSource extends SourceConnector {

    static final String FILE = "file";
    static final String TOPIC = "topic";
    static final String BATCH_SIZE = "batch.size";
    private static final String POSITION = "position";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(FILE, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The file whose lines are read.")
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The topic the lines are sent to.")
            .define(BATCH_SIZE, ConfigDef.Type.INT, 100, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "At most this many lines per poll.");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LineTask.class;
    }

    /** One task: a file is read in order by one reader. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "test";
    }

    /**
     * Reads the complete lines past its position whenever polled; a line still being written (no newline yet) waits
     * for the next poll. Connect calls {@link #poll} from one thread and {@link #stop} from another.
     */
    public static final class LineTask extends SourceTask {

        private static final long IDLE_POLL_MS = 50;

        private Path file;
        private String topic;
        private int batchSize;
        private Map<String, String> partition;
        private long position;

        @Override
        public void start(Map<String, String> props) {
            file = Path.of(props.get(FILE));
            topic = props.get(TOPIC);
            batchSize = Integer.parseInt(props.getOrDefault(BATCH_SIZE, "100"));
            partition = Map.of(FILE, file.toString());
            Map<String, Object> offset = context.offsetStorageReader().offset(partition);
            position = offset == null ? 0 : ((Number) offset.get(POSITION)).longValue();
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            List<SourceRecord> records = new ArrayList<>();
            byte[] unread = readFrom(position);
            int lineStart = 0;
            for (int i = 0; i < unread.length && records.size() < batchSize; i++) {
                if (unread[i] != '\n')
                    continue;
                String line = new String(unread, lineStart, i - lineStart, StandardCharsets.UTF_8);
                lineStart = i + 1;
                records.add(new SourceRecord(partition, Map.of(POSITION, position + lineStart), topic, null,
                        null, null, Schema.STRING_SCHEMA, line));
            }
            position += lineStart;
            if (records.isEmpty())
                Thread.sleep(IDLE_POLL_MS); // nothing new: Connect polls again at once
            return records;
        }

        private byte[] readFrom(long from) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Math.max(size - from, 0), 1 << 20));
                while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                    // read until the buffer is full or the end of the file
                }
                return Arrays.copyOf(buffer.array(), buffer.position());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "test";
        }
    }
}
