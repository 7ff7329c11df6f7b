package dev.tributary.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.jca.spi.PartitionId;
import org.junit.jupiter.api.Test;

class PartitionCursorTest {

    @Test
    void aTroubleThatPersistsIsNewsOnlyTheFirstTimeAndAgainOnceItCleared() {
        PartitionCursor cursor = new PartitionCursor(new PartitionId("payments", 0), 0);
        String corrupt = "Partition payments-0 holds corrupt data at offset 32";

        assertFalse(cursor.sameTroubleAsBefore(corrupt), "the first failure is reported");
        assertTrue(cursor.sameTroubleAsBefore(corrupt), "every retry that fails the same way is not");
        assertFalse(cursor.sameTroubleAsBefore("Partition payments-0 is offline"), "a new cause is");
        cursor.troubleCleared();
        assertFalse(cursor.sameTroubleAsBefore(corrupt), "after an attempt went through, it is news again");
    }
}
