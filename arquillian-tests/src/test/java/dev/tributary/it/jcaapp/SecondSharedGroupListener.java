package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** A second bean in the same group as {@link SharedGroupListener}. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-shared"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "jca-shared-group"),
        @ActivationConfigProperty(propertyName = "startFrom", propertyValue = "earliest")})
public class SecondSharedGroupListener implements RecordListener {

    @EJB
    private Received received;

    @Override
    public void onRecord(ConsumedRecord record) {
        received.add("shared-b", record);
    }
}
