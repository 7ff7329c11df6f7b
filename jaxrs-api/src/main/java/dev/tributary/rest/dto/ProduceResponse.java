package dev.tributary.rest.dto;

import java.util.List;

/** One position per produced record, in request order. */
public record ProduceResponse(List<RecordPosition> offsets) {
}
