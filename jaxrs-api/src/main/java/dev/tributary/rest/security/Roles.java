package dev.tributary.rest.security;

/** The REST API's roles; a user's roles are stored with the user (see {@code UsersResource}). */
public final class Roles {

    /** Topics, configs, groups, users: everything. */
    public static final String ADMIN = "tributary-admin";
    /** POST records. */
    public static final String PRODUCER = "tributary-producer";
    /** GET records. */
    public static final String CONSUMER = "tributary-consumer";

    private Roles() {
    }
}
