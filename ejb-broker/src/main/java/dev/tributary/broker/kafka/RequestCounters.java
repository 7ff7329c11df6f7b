package dev.tributary.broker.kafka;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.protocol.ApiKeys;

/** Requests received per API, for monitoring and tests (e.g. that an idle consumer long-polls, not busy-loops). */
final class RequestCounters {

    private final Map<ApiKeys, LongAdder> counts = new EnumMap<>(ApiKeys.class);

    RequestCounters() {
        for (ApiKeys key : ApiKeys.values())
            counts.put(key, new LongAdder());
    }

    void record(ApiKeys key) {
        counts.get(key).increment();
    }

    long count(ApiKeys key) {
        return counts.get(key).sum();
    }
}
