package dev.tributary.it.jcabench;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Send-to-onRecord latencies, handed from the listener to the waiting benchmark. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Latencies {

    private final LinkedBlockingQueue<Long> nanos = new LinkedBlockingQueue<>();

    public void received(long latencyNanos) {
        nanos.add(latencyNanos);
    }

    /** @return the next latency, or -1 if none arrives within 10 s */
    public long next() throws InterruptedException {
        Long latency = nanos.poll(10, TimeUnit.SECONDS);
        return latency == null ? -1 : latency;
    }
}
