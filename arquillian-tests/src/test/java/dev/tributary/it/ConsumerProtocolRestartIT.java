package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Stock consumers with {@code group.protocol=consumer} (KIP-848) against the broker on Payara Micro, which is
 * stopped and started again under them: the group comes back from the broker's metadata database with its members,
 * so nobody's partitions move, nobody is fenced, and every record is delivered once. REST shows the group's type.
 */
class ConsumerProtocolRestartIT {

    private static final String TOPIC = "protocol-restart";
    private static final String GROUP = "protocol-restart-group";

    @Test
    void consumerProtocolMembersCarryOnAcrossABrokerRestart() throws Exception {
        var work = ItEnvironment.workDir("consumer-protocol-restart");
        try (MicroBroker broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"))) {
            try (Admin admin = Admin.create(ItEnvironment.withKafkaLogin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.kafkaBootstrap())))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            List<Member> members = new ArrayList<>();
            Map<TopicPartition, List<Long>> delivered = new HashMap<>();
            try {
                for (String name : List.of("a", "b", "c")) {
                    members.add(new Member(broker.kafkaBootstrap(), name));
                }
                pollUntil(members, delivered,
                        () -> members.stream().allMatch(m -> m.consumer.assignment().size() == 2));
                produce(broker.kafkaBootstrap(), 0, 300);
                pollUntil(members, delivered, () -> total(delivered) == 300);
                members.forEach(m -> m.consumer.commitSync());
                Map<String, Set<TopicPartition>> before = assignments(members);

                broker.stop();
                broker.restart();

                produce(broker.kafkaBootstrap(), 300, 300);
                pollUntil(members, delivered, () -> total(delivered) >= 600);
                members.forEach(m -> m.consumer.commitSync());
                assertEquals(600, total(delivered));
                delivered.forEach((tp, offsets) -> assertEquals(offsets.size(), Set.copyOf(offsets).size(),
                        () -> "duplicates in " + tp));
                assertEquals(before, assignments(members), "nobody's partitions moved");
                members.forEach(m -> assertEquals(Set.of(), m.lost, m.name + " was never fenced"));

                JsonObject listed = broker.client().get("groups").json().getJsonArray("groups").stream()
                        .map(JsonObject.class::cast).filter(g -> g.getString("groupId").equals(GROUP)).findFirst()
                        .orElseThrow();
                assertEquals("consumer", listed.getString("type"));
                assertEquals("Stable", listed.getString("state"));
                JsonObject described = broker.client().get("groups/" + GROUP).json();
                assertEquals("consumer", described.getString("type"));
                assertEquals("uniform", described.getString("protocol"));
                assertEquals(3, described.getJsonArray("members").size());
            } finally {
                members.forEach(m -> m.consumer.close());
            }
        }
    }

    private static void produce(String bootstrap, int from, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putAll(ItEnvironment.kafkaLogin());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    /** Polls every member in turn, a short poll each, until {@code done}, for at most two minutes. */
    private static void pollUntil(List<Member> members, Map<TopicPartition, List<Long>> delivered,
                                  BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "delivered " + total(delivered) + "; assignments "
                    + assignments(members));
            for (Member member : members) {
                for (ConsumerRecord<String, String> record : member.consumer.poll(Duration.ofMillis(100))) {
                    delivered.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            tp -> new ArrayList<>()).add(record.offset());
                }
            }
        }
    }

    private static int total(Map<TopicPartition, List<Long>> delivered) {
        return delivered.values().stream().mapToInt(List::size).sum();
    }

    private static Map<String, Set<TopicPartition>> assignments(List<Member> members) {
        Map<String, Set<TopicPartition>> assignments = new HashMap<>();
        members.forEach(m -> assignments.put(m.name, Set.copyOf(m.consumer.assignment())));
        return assignments;
    }

    /** A consumer-protocol member that remembers partitions it lost without revoking them (it was fenced). */
    private static final class Member implements ConsumerRebalanceListener {
        final String name;
        final KafkaConsumer<String, String> consumer;
        final Set<TopicPartition> lost = new HashSet<>();

        Member(String bootstrap, String name) {
            this.name = name;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.putAll(ItEnvironment.kafkaLogin());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "member-" + name);
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(TOPIC), this);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                consumer.commitSync();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lost.addAll(partitions);
        }
    }
}
