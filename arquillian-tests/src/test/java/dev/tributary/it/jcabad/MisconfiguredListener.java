package dev.tributary.it.jcabad;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/** Its deployment must fail, naming maxConcurrency. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-orders"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "jca-bad"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "zero")})
public class MisconfiguredListener implements RecordListener {

    @Override
    public void onRecord(ConsumedRecord record) {
        throw new AssertionError("never activated");
    }
}
