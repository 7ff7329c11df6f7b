package dev.tributary.broker.cluster;

import java.util.Optional;

/** One broker as an operator sees it: registered in the metadata database, and alive in the data grid or not. */
public record BrokerStatus(int id, Optional<String> kafkaAddress, Optional<String> httpUrl, boolean alive,
                           boolean controller) {
}
