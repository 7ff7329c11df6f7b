package dev.tributary.broker.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * How this broker presents itself to clients: its id, the advertised address, and the cluster id.
 *
 * @param brokerId  the broker id; a broker alone is broker 0
 * @param host      advertised host
 * @param port      advertised port
 * @param clusterId the cluster id clients see
 */
record BrokerEndpoint(int brokerId, String host, int port, String clusterId) {

    /**
     * The cluster id is derived from the data directory's absolute path, so it is stable across restarts of the
     * same broker. It should come from the metadata database once clustering gives the cluster an identity.
     */
    static String clusterIdFor(Path dataDir) {
        UUID uuid = UUID.nameUUIDFromBytes(("tributary-cluster:" + dataDir.toAbsolutePath().normalize())
                .getBytes(StandardCharsets.UTF_8));
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }
}
