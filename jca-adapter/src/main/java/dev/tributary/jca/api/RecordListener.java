package dev.tributary.jca.api;

/**
 * The message listener interface of Tributary message-driven beans:
 * {@code @MessageDriven(activationConfig = {...}) public class OrderListener implements RecordListener}.
 *
 * <p>Per partition, records arrive in order and one at a time. The record's offset is committed for the group only
 * after this method returns (for a transacted bean, only once the container transaction commits): delivery is
 * at-least-once. An exception (or a rolled-back transaction) makes the adapter retry the record, then send it to
 * the dead-letter topic or, without one, keep retrying it.
 */
public interface RecordListener {

    void onRecord(ConsumedRecord record) throws Exception;
}
