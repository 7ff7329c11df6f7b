package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * One change to a topic's config overrides, with the semantics of Kafka's IncrementalAlterConfigs operations:
 * SET overrides a value, DELETE removes the override (back to the default), APPEND and SUBTRACT add items to and
 * remove items from a list config, starting from its current value (the override, or else the default). Whether
 * the result is a valid configuration is for {@link LogConfig} to say once every change is applied.
 *
 * @param value the value to set, append or subtract (items separated by commas); {@code null} only for DELETE
 */
public record ConfigChange(String name, Operation operation, String value) {

    /** Kafka's {@code AlterConfigOp.OpType}, by the same names. */
    public enum Operation { SET, DELETE, APPEND, SUBTRACT }

    /** @throws InvalidRequestException if a SET, APPEND or SUBTRACT has no value */
    public ConfigChange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operation, "operation");
        if (operation != Operation.DELETE && value == null)
            throw new InvalidRequestException("Config '" + name + "' has no value to " + operation);
    }

    public static ConfigChange set(String name, String value) {
        return new ConfigChange(name, Operation.SET, value);
    }

    public static ConfigChange delete(String name) {
        return new ConfigChange(name, Operation.DELETE, null);
    }

    /**
     * Applies this change to {@code overrides}.
     *
     * @throws InvalidConfigurationException if this APPENDs to or SUBTRACTs from a config that is not a list
     */
    void applyTo(Map<String, String> overrides) {
        switch (operation) {
            case SET -> overrides.put(name, value);
            case DELETE -> overrides.remove(name);
            case APPEND, SUBTRACT -> {
                if (!LogConfig.isListKey(name))
                    throw new InvalidConfigurationException("Cannot " + operation + " to config '" + name
                            + "': it is not a list");
                String current = overrides.containsKey(name) ? overrides.get(name)
                        : LogConfig.defaults().toMap().get(name);
                List<String> items = items(current);
                for (String item : items(value)) {
                    if (operation == Operation.SUBTRACT)
                        items.remove(item);
                    else if (!items.contains(item))
                        items.add(item);
                }
                overrides.put(name, String.join(",", items));
            }
        }
    }

    private static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isEmpty())
                items.add(item);
        }
        return items;
    }
}
