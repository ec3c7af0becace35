package dev.ota.core.yaml;

import dev.ota.core.diagnostics.SourceLocation;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small helpers over SnakeYAML nodes. */
public final class Nodes {

    private Nodes() {}

    public static SourceLocation location(Node node, String file, String path) {
        Mark mark = node.getStartMark();
        if (mark == null) {
            return new SourceLocation(file, 0, 0, path);
        }
        return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1, path);
    }

    /** A human word for what a node is, for "expected X, but it is Y" messages. */
    public static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode scalar) {
            Tag tag = scalar.getTag();
            if (Tag.NULL.equals(tag)) {
                return "empty (null)";
            }
            if (Tag.BOOL.equals(tag)) {
                return "the boolean `" + scalar.getValue() + "`";
            }
            if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                return "the number `" + scalar.getValue() + "`";
            }
            return "the string `" + scalar.getValue() + "`";
        }
        return "an unsupported YAML node";
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    /** Edit distance for "did you mean" hints. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    /** The closest candidate within a small edit distance, or null. */
    public static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return bestDistance <= allowed ? best : null;
    }
}
