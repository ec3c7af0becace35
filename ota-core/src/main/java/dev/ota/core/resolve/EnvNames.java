package dev.ota.core.resolve;

import java.util.Locale;

/** Environment variable names ota derives from contract names. */
public final class EnvNames {

    private EnvNames() {}

    /** ASCII letters and digits upper-cased, everything else {@code _}. */
    public static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(Character.toUpperCase(c));
            } else {
                out.append('_');
            }
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    public static String target(String target) {
        return "OTA_TARGET_" + normalize(target);
    }

    public static String input(String input) {
        return "OTA_INPUT_" + normalize(input);
    }

    public static String publicUrl(String listener) {
        return "OTA_PUBLIC_URL_" + normalize(listener);
    }
}
