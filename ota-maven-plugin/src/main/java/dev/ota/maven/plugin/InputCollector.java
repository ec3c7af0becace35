package dev.ota.maven.plugin;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Collects task input values from the POM ({@code <inputs>}) and from properties named
 * {@code ota.input.<name>}. Precedence, lowest first: POM configuration, system properties, session
 * user properties (the command line wins).
 */
public final class InputCollector {

    private InputCollector() {}

    /**
     * @param pomInputs {@code <inputs>} from the plugin configuration; may be null
     * @param systemProperties the session's system properties; may be null
     * @param userProperties the session's user properties ({@code -D} on the command line); may be null
     * @return input name to value, sorted by name
     */
    public static Map<String, String> collect(
            Map<String, String> pomInputs, Properties systemProperties, Properties userProperties) {
        Map<String, String> inputs = new TreeMap<>();
        if (pomInputs != null) {
            pomInputs.forEach((name, value) -> {
                if (name != null && !name.isBlank()) {
                    inputs.put(name.trim(), value == null ? "" : value);
                }
            });
        }
        addPrefixed(inputs, systemProperties);
        addPrefixed(inputs, userProperties);
        return inputs;
    }

    private static void addPrefixed(Map<String, String> inputs, Properties properties) {
        if (properties == null) {
            return;
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(OtaProperties.INPUT_PREFIX) && key.length() > OtaProperties.INPUT_PREFIX.length()) {
                inputs.put(key.substring(OtaProperties.INPUT_PREFIX.length()), properties.getProperty(key));
            }
        }
    }
}
