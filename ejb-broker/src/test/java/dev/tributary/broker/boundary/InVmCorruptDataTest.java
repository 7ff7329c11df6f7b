package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.ScrubberConfig;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Corruption;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.PartitionId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the JCA adapter's deliveries get from a partition with flipped bytes in an old segment. */
class InVmCorruptDataTest {

    @TempDir
    Path dataDir;

    @Test
    void anInVmFetchIsRefusedWithAnErrorNamingThePartitionAndOffsetAndDeliversNothing() throws Exception {
        BrokerConfig config = BrokerConfig.embedded(dataDir).withScrub(new ScrubberConfig(false, 1, 1));
        try (Broker broker = Broker.start(config, Clock.systemUTC())) {
            broker.topicAdministration().create(new NewTopic("payments", 1, (short) 1,
                    Map.of("segment.bytes", "1024")));
            BrokerGateway gateway = InVmBrokerGateway.forAdapter(broker);
            for (int i = 0; i < 100; i++)
                gateway.append(OutgoingRecord.builder().topic("payments").partition(0).value("payment-" + i).build());
        }
        Corruption.DamagedBatch damaged = Corruption.flipBytesInOldSegment(
                dataDir.resolve("logs").resolve("payments-0"), 2);

        try (Broker broker = Broker.start(config, Clock.systemUTC())) {
            BrokerGateway gateway = InVmBrokerGateway.forAdapter(broker);
            try (GroupSession session = gateway.joinGroup(new GroupSubscription("billing", List.of("payments"),
                    true, "mdb-1"))) {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> session.fetch(new PartitionId("payments", 0), 0, 500, Duration.ZERO));
                assertTrue(refused.getMessage().contains("payments-0")
                        && refused.getMessage().contains("offset " + damaged.baseOffset()), refused::getMessage);
            }
            assertEquals(1, broker.metrics().logIntegrity().corruptBatches());
        }
    }
}
