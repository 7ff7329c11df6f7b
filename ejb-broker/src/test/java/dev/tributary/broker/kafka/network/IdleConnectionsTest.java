package dev.tributary.broker.kafka.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleConnectionsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static KafkaConnection connection(String id) {
        return new KafkaConnection(id, null, 1024, new ConnectionSession(List.of())); // never does I/O here
    }

    @Test
    void theLeastRecentlyActiveConnectionExpiresFirstAndActivityPostponesIt() {
        IdleConnections idle = new IdleConnections(1_000);
        KafkaConnection a = connection("a");
        KafkaConnection b = connection("b");
        long t0 = 1_000_000 * MS;
        idle.touch(a, t0);
        idle.touch(b, t0 + 100 * MS);
        idle.touch(a, t0 + 200 * MS); // a was active again: b is now the eldest

        assertEquals(700, idle.millisUntilNextExpiry(t0 + 400 * MS));
        assertNull(idle.pollExpired(t0 + 1_099 * MS));
        assertSame(b, idle.pollExpired(t0 + 1_100 * MS));
        assertNull(idle.pollExpired(t0 + 1_100 * MS));
        idle.remove(a); // a request in progress
        assertEquals(Long.MAX_VALUE, idle.millisUntilNextExpiry(t0 + 5_000 * MS));
        assertNull(idle.pollExpired(t0 + 5_000 * MS));
    }

    @Test
    void anUnlimitedIdleTimeNeverWakesTheSelectorEarly() {
        IdleConnections idle = new IdleConnections(Long.MAX_VALUE);
        long now = System.nanoTime();
        idle.touch(connection("a"), now);
        assertTrue(idle.millisUntilNextExpiry(now + 1_000 * MS) > 1_000_000, "no overflow into a short timeout");
        assertNull(idle.pollExpired(now + 1_000 * MS));
    }
}
