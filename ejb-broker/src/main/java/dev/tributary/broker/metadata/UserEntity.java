package dev.tributary.broker.metadata;

import dev.tributary.broker.security.User;
import dev.tributary.broker.security.Users;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** A row of TRIB_USER (schema V4): roles comma-separated, credentials as {@link Users#encode} writes them. */
@Entity
@Table(name = "TRIB_USER")
public class UserEntity {

    @Id
    @Column(name = "NAME")
    private String name;

    @Column(name = "ROLES", nullable = false)
    private String roles;

    @Column(name = "SCRAM_SHA_256", nullable = false)
    private String scramSha256;

    @Column(name = "SCRAM_SHA_512", nullable = false)
    private String scramSha512;

    protected UserEntity() {
    }

    static UserEntity from(User user) {
        UserEntity entity = new UserEntity();
        entity.name = user.name();
        entity.update(user);
        return entity;
    }

    void update(User user) {
        roles = String.join(",", new TreeSet<>(user.roles()));
        scramSha256 = Users.encode(user.credential(ScramMechanism.SCRAM_SHA_256));
        scramSha512 = Users.encode(user.credential(ScramMechanism.SCRAM_SHA_512));
    }

    User toUser() {
        Set<String> roleSet = roles.isEmpty() ? Set.of()
                : Arrays.stream(roles.split(",")).collect(Collectors.toUnmodifiableSet());
        return new User(name, roleSet, Map.of(
                ScramMechanism.SCRAM_SHA_256, Users.decode(scramSha256),
                ScramMechanism.SCRAM_SHA_512, Users.decode(scramSha512)));
    }
}
