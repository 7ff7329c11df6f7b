package dev.tributary.broker.security;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;

/** Where ACL bindings are kept: the metadata database, shared by the brokers of a cluster. */
public interface AclStore {

    List<AclBinding> loadAll();

    /** Adds the bindings not stored yet; one transaction. */
    void add(Collection<AclBinding> bindings);

    /** Removes exactly these bindings; one transaction. */
    void remove(Collection<AclBinding> bindings);
}
