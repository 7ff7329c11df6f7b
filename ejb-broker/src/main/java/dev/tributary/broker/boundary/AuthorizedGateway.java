package dev.tributary.broker.boundary;

import dev.tributary.broker.security.ApplicationAccount;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.security.Users;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The in-VM gateway acting for one principal: the JCA adapter's connections and activations are held to the same
 * ACLs as that principal's Kafka clients (WRITE on a topic to send to it, READ on the group and its topics to
 * consume). Unauthenticated, the adapter is {@link ApplicationAccount#PRINCIPAL}; {@link #as} authenticates it as a
 * broker user, with the password of that user. With ACLs off ({@code --insecure}) every check passes.
 */
final class AuthorizedGateway implements BrokerGateway {

    /** In-VM callers have no address: only bindings for every host ({@code *}) apply to them. */
    private static final String NO_HOST = "";
    private static final String UNNAMED_HINT = ": the connection factory or MDB names no user, so it acts as "
            + ApplicationAccount.PRINCIPAL + "; set its properties user and password to a broker user allowed to, or "
            + "give " + ApplicationAccount.PRINCIPAL + " the role or ACL";
    private static final Logger LOG = Logger.getLogger(AuthorizedGateway.class.getName());

    private final BrokerGateway broker;
    private final Authorizer authorizer;
    private final Users users;
    private final String principal;

    AuthorizedGateway(BrokerGateway broker, Authorizer authorizer, Users users, String principal) {
        this.broker = broker;
        this.authorizer = authorizer;
        this.users = users;
        this.principal = principal;
    }

    @Override
    public BrokerGateway as(String user, char[] password) {
        if (users.authenticate(user, password).isEmpty()) {
            LOG.warning(() -> "The resource adapter could not authenticate as user '" + user + "'");
            throw new SecurityException("Wrong user name or password for the Tributary user '" + user + "'");
        }
        return new AuthorizedGateway(broker, authorizer, users, "User:" + user);
    }

    @Override
    public RecordMetadata append(OutgoingRecord record) {
        mayWrite(List.of(record.topic()));
        return broker.append(record);
    }

    @Override
    public List<RecordMetadata> append(String topic, List<OutgoingRecord> records) {
        mayWrite(List.of(topic));
        return broker.append(topic, records);
    }

    @Override
    public List<RecordMetadata> append(String topic, int partition, List<OutgoingRecord> records) {
        mayWrite(List.of(topic));
        return broker.append(topic, partition, records);
    }

    @Override
    public int partitionFor(OutgoingRecord record) {
        return broker.partitionFor(record);
    }

    @Override
    public void prepare(String transactionId, List<OutgoingRecord> records) {
        mayWrite(records.stream().map(OutgoingRecord::topic).distinct().toList());
        broker.prepare(transactionId, records);
    }

    /** Checked when prepared; the transaction manager may finish it later from any connection, or recovery. */
    @Override
    public List<RecordMetadata> commit(String transactionId) {
        return broker.commit(transactionId);
    }

    @Override
    public List<RecordMetadata> commitOnePhase(List<OutgoingRecord> records) {
        mayWrite(records.stream().map(OutgoingRecord::topic).distinct().toList());
        return broker.commitOnePhase(records);
    }

    @Override
    public void rollback(String transactionId) {
        broker.rollback(transactionId);
    }

    @Override
    public List<String> preparedTransactions() {
        return broker.preparedTransactions();
    }

    @Override
    public GroupSession joinGroup(GroupSubscription subscription) {
        require(AclOperation.READ, ResourceType.GROUP, subscription.groupId());
        subscription.topics().forEach(topic -> require(AclOperation.READ, ResourceType.TOPIC, topic));
        return broker.joinGroup(subscription);
    }

    private void mayWrite(Collection<String> topics) {
        topics.forEach(topic -> require(AclOperation.WRITE, ResourceType.TOPIC, topic));
    }

    private void require(AclOperation operation, ResourceType type, String name) {
        if (!authorizer.authorize(principal, NO_HOST, operation, type, name)) {
            LOG.info(() -> "Denied the resource adapter as " + principal + ": " + operation + " on " + type + " "
                    + name);
            throw new SecurityException(principal + " may not " + operation + " " + type.name().toLowerCase()
                    + " '" + name + "'" + (principal.equals(ApplicationAccount.PRINCIPAL) ? UNNAMED_HINT : ""));
        }
    }
}
