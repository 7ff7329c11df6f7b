package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.FakeDataGrid;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers on one metadata database asked at the same instant to create the same topic on first use: one topic
 * results, and neither client sees an error it would not see from Kafka (LEADER_NOT_AVAILABLE, then the topic).
 */
class AutoTopicCreationAcrossBrokersTest {

    private static final int TOPICS = 20;

    @TempDir
    Path root;

    private final FakeDataGrid.Network grid = new FakeDataGrid.Network();
    private final List<RunningKafkaBroker> running = new ArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        running.forEach(RunningKafkaBroker::close);
    }

    @Test
    void twoBrokersCreatingTheSameTopicAtOnceEndWithOneTopicAndNoErrorForEitherClient() throws Exception {
        String url = "jdbc:h2:mem:autocreate-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        RunningKafkaBroker first = start("first", url);
        RunningKafkaBroker second = start("second", url.toLowerCase());
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<List<Errors>>> answers = new ArrayList<>();
        for (RunningKafkaBroker broker : List.of(first, second)) {
            answers.add(clients.submit(() -> {
                List<Errors> errors = new ArrayList<>();
                try (RawKafkaSocket socket = new RawKafkaSocket(broker.kafka.port())) {
                    for (int i = 0; i < TOPICS; i++) {
                        together.await(10, TimeUnit.SECONDS);
                        errors.add(metadata(socket, "race-" + i));
                    }
                }
                return errors;
            }));
        }
        for (Future<List<Errors>> answer : answers) {
            for (Errors error : answer.get(60, TimeUnit.SECONDS))
                assertTrue(error == Errors.LEADER_NOT_AVAILABLE || error == Errors.NONE, error.toString());
        }
        for (RunningKafkaBroker broker : List.of(first, second)) {
            broker.broker.refreshMetadata();
            Conditions.await("all " + TOPICS + " topics known to " + broker.bootstrap(),
                    () -> broker.broker.topicMetadata().topicNames().size() == TOPICS);
        }
        // Two live brokers, default.replication.factor 1: each topic has one replica and one partition.
        assertEquals(Set.of(1), Set.copyOf(first.broker.topicMetadata().describe("race-0").partitions().stream()
                .map(partition -> partition.replicas().size()).toList()));
    }

    private RunningKafkaBroker start(String name, String dbUrl) {
        BrokerConfig config = BrokerConfig.embedded(root.resolve(name))
                .withDatabase(dbUrl, Optional.empty(), Optional.empty());
        RunningKafkaBroker broker = new RunningKafkaBroker(config, KafkaListenerConfig.of("127.0.0.1", 0));
        running.add(broker);
        broker.broker.joinCluster(Optional.of(grid.join()), broker.kafka.advertisedAddress(), Optional.empty());
        return broker;
    }

    private static Errors metadata(RawKafkaSocket socket, String topic) throws Exception {
        MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(true);
        data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        MetadataResponse response = socket.call(new MetadataRequest(data, (short) 12));
        return Errors.forCode(response.data().topics().find(topic).errorCode());
    }
}
