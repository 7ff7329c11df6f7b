package dev.tributary.broker.security;

import java.util.List;
import java.util.Optional;

/** Where users are kept: the metadata database, so every broker of a cluster knows the same users. */
public interface UserStore {

    Optional<User> find(String name);

    /** Creates the user, or replaces its roles and credentials. */
    void save(User user);

    /** @return whether there was such a user */
    boolean delete(String name);

    List<User> list();
}
