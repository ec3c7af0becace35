package dev.ota.core.model;

import java.util.List;

/**
 * What a task runs. {@code kind} is the YAML key that declared it ({@code run}, {@code script},
 * {@code command}, {@code launch}, …); {@code text} is the shell text for run/script, and
 * {@code exe}/{@code args} the argv for command and command launches; {@code remove} is a container
 * launch's {@code remove: true}.
 */
public record TaskBody(
        String kind, String text, String exe, List<String> args, String launchKind, boolean remove, Site site) {

    /** How the plan shows it. */
    public String display() {
        if (text != null) {
            return text;
        }
        if (exe != null) {
            StringBuilder out = new StringBuilder(exe);
            for (String arg : args) {
                out.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
            }
            return out.toString();
        }
        return "(" + kind + ")";
    }
}
