package dev.tributary.broker.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** A row of TRIB_ACL (schema V5): one binding, every column part of the key. */
@Entity
@Table(name = "TRIB_ACL")
@IdClass(AclEntity.Key.class)
public class AclEntity {

    @Id @Column(name = "RESOURCE_TYPE") private String resourceType;
    @Id @Column(name = "RESOURCE_NAME") private String resourceName;
    @Id @Column(name = "PATTERN_TYPE") private String patternType;
    @Id @Column(name = "PRINCIPAL") private String principal;
    @Id @Column(name = "HOST") private String host;
    @Id @Column(name = "OPERATION") private String operation;
    @Id @Column(name = "PERMISSION") private String permission;

    protected AclEntity() {
    }

    static AclEntity from(AclBinding binding) {
        AclEntity entity = new AclEntity();
        entity.resourceType = binding.pattern().resourceType().name();
        entity.resourceName = binding.pattern().name();
        entity.patternType = binding.pattern().patternType().name();
        entity.principal = binding.entry().principal();
        entity.host = binding.entry().host();
        entity.operation = binding.entry().operation().name();
        entity.permission = binding.entry().permissionType().name();
        return entity;
    }

    Key key() {
        return new Key(resourceType, resourceName, patternType, principal, host, operation, permission);
    }

    AclBinding toBinding() {
        return new AclBinding(new ResourcePattern(ResourceType.valueOf(resourceType), resourceName,
                PatternType.valueOf(patternType)), new AccessControlEntry(principal, host,
                AclOperation.valueOf(operation), AclPermissionType.valueOf(permission)));
    }

    /** The composite primary key. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String resourceType;
        private String resourceName;
        private String patternType;
        private String principal;
        private String host;
        private String operation;
        private String permission;

        public Key() {
        }

        Key(String resourceType, String resourceName, String patternType, String principal, String host,
            String operation, String permission) {
            this.resourceType = resourceType;
            this.resourceName = resourceName;
            this.patternType = patternType;
            this.principal = principal;
            this.host = host;
            this.operation = operation;
            this.permission = permission;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && resourceType.equals(k.resourceType) && resourceName.equals(k.resourceName)
                    && patternType.equals(k.patternType) && principal.equals(k.principal) && host.equals(k.host)
                    && operation.equals(k.operation) && permission.equals(k.permission);
        }

        @Override
        public int hashCode() {
            return Objects.hash(resourceType, resourceName, patternType, principal, host, operation, permission);
        }
    }
}
