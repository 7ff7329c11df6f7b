package dev.tributary.rest.dto;

import java.util.List;

public record AclList(List<AclDto> acls) {
}
