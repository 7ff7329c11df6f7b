package dev.tributary.broker.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink connector of the test code, as small as Kafka's {@code FileStreamSink}: appends the value of every record
 * of its {@code topics} to a file ({@code file}) as a line. Its position is the consumer group's committed offset,
 * which Connect commits after {@link SinkTask#flush} has written the lines out.
 */
public final class LineFileSink extends SinkConnector {

    static final String FILE = "file";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(FILE, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The file the lines are appended to.");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LineTask.class;
    }

    /** One task: one writer per file. */
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

    /** Writes the lines of each {@link #put} out at {@link #flush}; Connect calls both from one thread. */
    public static final class LineTask extends SinkTask {

        private Path file;
        private Writer writer;

        @Override
        public void start(Map<String, String> props) {
            file = Path.of(props.get(FILE));
            try {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + file, e);
            }
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            try {
                for (SinkRecord record : records)
                    writer.write(record.value() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write to " + file, e);
            }
        }

        @Override
        public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write to " + file, e);
            }
        }

        @Override
        public void stop() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close " + file, e);
            }
        }

        @Override
        public String version() {
            return "test";
        }
    }
}
