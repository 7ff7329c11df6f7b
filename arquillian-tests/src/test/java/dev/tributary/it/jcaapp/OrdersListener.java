package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** A transacted (container-managed, Required) listener: every record of jca-orders, in order per partition. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-orders"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "jca-orders-mdb"),
        @ActivationConfigProperty(propertyName = "startFrom", propertyValue = "earliest"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "3")})
public class OrdersListener implements RecordListener {

    @EJB
    private Received received;

    @Override
    public void onRecord(ConsumedRecord record) {
        received.add("orders", record);
    }
}
