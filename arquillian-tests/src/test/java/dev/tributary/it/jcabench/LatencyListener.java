package dev.tributary.it.jcabench;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Reports how long each record of bench-latency took from send to this bean. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "bench-latency"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "bench-latency"),
        @ActivationConfigProperty(propertyName = "startFrom", propertyValue = "earliest")})
public class LatencyListener implements RecordListener {

    @EJB
    private Latencies latencies;

    @Override
    public void onRecord(ConsumedRecord record) {
        latencies.received(System.nanoTime() - Long.parseLong(record.valueAsString()));
    }
}
