package dev.tributary.broker.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A stateful Kafka Streams application, run as a process of its own by the Streams tests ({@link StreamsProcess}):
 * counts the records of each key of the input topic in a RocksDB store backed by a changelog topic and sends every
 * new count to the output topic. Without a record cache each input record yields exactly one output record, so the
 * output of a key is 1, 2, 3, ... with nothing missing and nothing twice (read_committed, with
 * {@code exactly_once_v2} even across a SIGKILL; with {@code at_least_once} across clean stops).
 *
 * <p>Arguments: bootstrap servers, state directory, {@code processing.guarantee}, then any further Streams configs
 * as {@code key=value}. Runs until killed; SIGTERM closes Streams cleanly (it commits and leaves the group) before
 * the process ends.
 */
public final class WordCountApp {

    static final String APPLICATION_ID = "tributary-word-counts";
    static final String INPUT = "words";
    static final String OUTPUT = "word-counts";
    /** The changelog of the {@code counts} store, named as Streams names it. */
    static final String CHANGELOG = APPLICATION_ID + "-counts-changelog";

    private WordCountApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[1]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[2]);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        for (int i = 3; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            props.put(setting[0], setting[1]);
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .mapValues(count -> Long.toString(count))
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));

        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            System.out.println("STATE " + oldState + " -> " + newState);
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING)
                stopped.countDown();
        });
        // a final stop: the members leave the group, so that a new instance need not wait out their sessions
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(CloseOptions
                .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)))));
        streams.start();
        stopped.await();
        System.exit(1);
    }
}
