package dev.tributary.rest.dto;

/**
 * One ACL binding, with Kafka's names: {@code resourceType} TOPIC, GROUP or CLUSTER; {@code patternType} LITERAL
 * (default) or PREFIXED; {@code principal} {@code User:name} or {@code User:*}; {@code host} an address or
 * {@code *} (default); {@code operation} READ, WRITE, CREATE, DELETE, DESCRIBE, ALTER, DESCRIBE_CONFIGS,
 * ALTER_CONFIGS, IDEMPOTENT_WRITE or ALL; {@code permission} ALLOW (default) or DENY.
 */
public record AclDto(String resourceType, String resourceName, String patternType, String principal, String host,
                     String operation, String permission) {
}
