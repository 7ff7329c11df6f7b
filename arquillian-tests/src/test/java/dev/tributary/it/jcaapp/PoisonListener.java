package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Throws for records whose value starts with "poison": they are retried, then dead-lettered. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-poison"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "jca-poison-mdb"),
        @ActivationConfigProperty(propertyName = "startFrom", propertyValue = "earliest"),
        @ActivationConfigProperty(propertyName = "retries", propertyValue = "2"),
        @ActivationConfigProperty(propertyName = "retryBackoffMs", propertyValue = "100"),
        @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "jca-dead-letters")})
public class PoisonListener implements RecordListener {

    @EJB
    private Received received;

    @Override
    public void onRecord(ConsumedRecord record) {
        received.add("poison-attempts", record);
        if (record.valueAsString().startsWith("poison")) {
            throw new IllegalArgumentException("cannot digest " + record.valueAsString());
        }
        received.add("poison", record);
    }
}
