package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.api.TributaryConnection;
import dev.tributary.jca.api.TributaryConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;

/**
 * Sends through the application's own connection factory, as the README shows, or through the server-wide one
 * that the post-boot commands create.
 */
@ConnectionFactoryDefinition(name = "java:app/tributary/cf",
        interfaceName = "dev.tributary.jca.api.TributaryConnectionFactory", resourceAdapter = "tributary-jca")
@Stateless
public class Sender {

    @Resource(lookup = "java:app/tributary/cf")
    private TributaryConnectionFactory factory;

    @Resource(lookup = "tributary/ConnectionFactory")
    private TributaryConnectionFactory serverWide;

    @Resource
    private SessionContext context;

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public RecordMetadata sendServerWide(String topic, String key, String value) throws ResourceException {
        try (TributaryConnection connection = serverWide.getConnection()) {
            return connection.send(OutgoingRecord.builder().topic(topic).key(key).value(value).build());
        }
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public RecordMetadata sendNow(String topic, String key, String value) throws ResourceException {
        try (TributaryConnection connection = factory.getConnection()) {
            return connection.send(OutgoingRecord.builder().topic(topic).key(key).value(value).build());
        }
    }

    /** Sends {@code count} records in the container's transaction, then commits it or rolls it back. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendInTransaction(String topic, String prefix, int count, boolean commit) throws ResourceException {
        try (TributaryConnection connection = factory.getConnection()) {
            for (int i = 0; i < count; i++) {
                RecordMetadata pending = connection.send(topic, prefix + "-key-" + i,
                        (prefix + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (pending.hasOffset()) {
                    throw new IllegalStateException("A record sent in a transaction has an offset before commit");
                }
            }
        }
        if (!commit) {
            context.setRollbackOnly();
        }
    }
}
