package dev.tributary.jca.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.jca.FakeInVmBroker;
import dev.tributary.jca.TributaryResourceAdapter;
import dev.tributary.jca.api.TributaryConnection;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.InVmBrokers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection factory configured with a user sends as that user: it authenticates once, then uses that gateway. */
class ConfiguredUserTest {

    private final FakeInVmBroker asAlice = new FakeInVmBroker().topic("orders", 1);
    private final List<String> logins = new ArrayList<>();
    private final FakeInVmBroker broker = new FakeInVmBroker() {
        @Override
        public BrokerGateway as(String user, char[] password) {
            logins.add(user + "/" + new String(password));
            return asAlice;
        }
    }.topic("orders", 1);

    @AfterEach
    void unregister() {
        InVmBrokers.unregister(broker);
    }

    @Test
    void sendsGoThroughTheGatewayOfTheConfiguredUserAuthenticatedOnce() throws Exception {
        InVmBrokers.register(broker);
        TributaryManagedConnectionFactory factory = new TributaryManagedConnectionFactory();
        factory.setResourceAdapter(new TributaryResourceAdapter());
        factory.setUser("alice");
        factory.setPassword("alice-secret-1");
        for (int i = 0; i < 3; i++) {
            try (TributaryConnection connection = (TributaryConnection) ((TributaryManagedConnection) factory
                    .createManagedConnection(null, null)).getConnection(null, null)) {
                connection.send("orders", "k", "v".getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("alice/alice-secret-1"), logins);
        assertEquals(3, asAlice.records("orders", 0).size());
        assertEquals(0, broker.records("orders", 0).size(), "nothing as the anonymous adapter");
    }
}
