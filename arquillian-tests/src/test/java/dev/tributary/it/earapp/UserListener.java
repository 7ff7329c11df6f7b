package dev.tributary.it.earapp;

import dev.tributary.it.jcaapp.Received;
import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** The user's message-driven bean, consuming through the resource adapter of the same EAR. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "user-ear-orders"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "user-ear-mdb"),
        @ActivationConfigProperty(propertyName = "startFrom", propertyValue = "earliest")})
public class UserListener implements RecordListener {

    @EJB
    private Received received;

    @Override
    public void onRecord(ConsumedRecord record) {
        received.add("user", record);
    }
}
