package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.ConsumedRecord;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What each listener received, in delivery order, as "topic partition offset key value" lines. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Received {

    private final Map<String, List<String>> byListener = new ConcurrentHashMap<>();

    public void add(String listener, ConsumedRecord record) {
        List<String> lines = byListener.computeIfAbsent(listener, l -> new ArrayList<>());
        synchronized (lines) {
            lines.add(record.topic() + " " + record.partition() + " " + record.offset() + " " + record.key() + " "
                    + record.valueAsString());
        }
    }

    public List<String> of(String listener) {
        List<String> lines = byListener.getOrDefault(listener, List.of());
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
