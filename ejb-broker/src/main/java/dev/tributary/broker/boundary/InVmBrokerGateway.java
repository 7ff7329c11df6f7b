package dev.tributary.broker.boundary;

import dev.tributary.broker.consumer.GroupMember;
import dev.tributary.broker.consumer.MemberTimeouts;
import dev.tributary.broker.consumer.RecordFetcher;
import dev.tributary.broker.records.AppendedRecord;
import dev.tributary.broker.security.ApplicationAccount;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.transaction.CommittedRecord;
import dev.tributary.broker.transaction.TransactionRecord;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.BrokerGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.IsolationLevel;

/**
 * The broker as the JCA adapter's in-VM gateway: each call goes straight to the core ({@code RecordWriter},
 * {@code Transactions}, {@code GroupCoordinator} through a {@link GroupMember}), translating types and errors.
 */
final class InVmBrokerGateway implements BrokerGateway {

    private final Broker broker;
    private final RecordFetcher fetcher;

    /**
     * What the broker registers for the adapter: this gateway behind the ACL checks, as
     * {@link ApplicationAccount#PRINCIPAL} until a connection factory or MDB names a user.
     */
    static BrokerGateway forAdapter(Broker broker) {
        return new AuthorizedGateway(new InVmBrokerGateway(broker), broker.authorizer(), broker.users(),
                ApplicationAccount.PRINCIPAL);
    }

    InVmBrokerGateway(Broker broker) {
        this.broker = broker;
        this.fetcher = new RecordFetcher(broker.hostedReplicas(), broker.reader());
    }

    @Override
    public RecordMetadata append(OutgoingRecord record) {
        AppendedRecord appended = translated(() -> broker.writer()
                .append(record.topic(), List.of(InVmRecords.toNewRecord(record))).get(0));
        return new RecordMetadata(record.topic(), appended.partition(), appended.offset(), appended.timestamp());
    }

    @Override
    public List<RecordMetadata> append(String topic, List<OutgoingRecord> records) {
        List<AppendedRecord> appended = translated(() -> broker.writer()
                .append(topic, records.stream().map(InVmRecords::toNewRecord).toList()));
        List<RecordMetadata> landed = new ArrayList<>(appended.size());
        for (AppendedRecord record : appended)
            landed.add(new RecordMetadata(topic, record.partition(), record.offset(), record.timestamp()));
        return landed;
    }

    @Override
    public List<RecordMetadata> append(String topic, int partition, List<OutgoingRecord> records) {
        List<NewRecord> batch = new ArrayList<>(records.size());
        for (OutgoingRecord record : records)
            batch.add(InVmRecords.toNewRecord(record));
        List<AppendedRecord> appended = translated(() -> broker.writer().append(topic, partition, batch));
        List<RecordMetadata> landed = new ArrayList<>(appended.size());
        for (AppendedRecord record : appended)
            landed.add(new RecordMetadata(topic, partition, record.offset(), record.timestamp()));
        return landed;
    }

    @Override
    public int partitionFor(OutgoingRecord record) {
        return translated(() -> broker.writer().partitionFor(record.topic(), record.partition(), record.keyBytes()));
    }

    @Override
    public void prepare(String transactionId, List<OutgoingRecord> records) {
        translated(() -> {
            broker.transactions().prepare(transactionId, transactionRecords(records));
            return null;
        });
    }

    @Override
    public List<RecordMetadata> commit(String transactionId) {
        return metadata(translated(() -> broker.transactions().commit(transactionId)));
    }

    @Override
    public List<RecordMetadata> commitOnePhase(List<OutgoingRecord> records) {
        return metadata(translated(() -> broker.transactions().commitOnePhase(transactionRecords(records))));
    }

    @Override
    public void rollback(String transactionId) {
        translated(() -> {
            broker.transactions().rollback(transactionId);
            return null;
        });
    }

    @Override
    public List<String> preparedTransactions() {
        return broker.transactions().prepared();
    }

    /** Authentication belongs to the {@link AuthorizedGateway} that fronts this one. */
    @Override
    public BrokerGateway as(String user, char[] password) {
        throw new UnsupportedOperationException("Authenticate through the AuthorizedGateway");
    }

    @Override
    public GroupSession joinGroup(GroupSubscription subscription) {
        GroupMember member = new GroupMember(broker.groups(), broker.topicMetadata(), subscription.groupId(),
                subscription.topics(), subscription.clientId(), MemberTimeouts.defaults());
        return new InVmGroupSession(member, fetcher, subscription.fromEarliest(),
                subscription.readCommitted() ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    private static List<TransactionRecord> transactionRecords(List<OutgoingRecord> records) {
        return records.stream().map(r -> new TransactionRecord(r.topic(), InVmRecords.toNewRecord(r))).toList();
    }

    private static List<RecordMetadata> metadata(List<CommittedRecord> committed) {
        return committed.stream().map(r -> new RecordMetadata(r.topic(), r.partition(), r.offset(), r.timestamp()))
                .toList();
    }

    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw InVmRecords.translate(e);
        }
    }
}
