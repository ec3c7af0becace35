package dev.ota.core.yaml;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.diagnostics.Words;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A typed, located view of one YAML mapping. Getters return {@code null} when a key is absent and
 * report a diagnostic (and return {@code null}) when its value has the wrong type, so loading goes
 * on and every problem in the file is reported together. {@link #finish} reports keys that no
 * getter asked for.
 */
public final class MapView {

    private final ReadContext ctx;
    private final SourceLocation location;
    /** Generic path for grouping, e.g. {@code tasks.<task>.runtime}. */
    private final String pattern;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, Node> keys = new LinkedHashMap<>();
    private final Set<String> consumed = new LinkedHashSet<>();
    /** Mappings already collected (by identity): merging one twice adds nothing, and stops merge-key bombs and cycles. */
    private final Set<Node> collected = Collections.newSetFromMap(new IdentityHashMap<>());

    private MapView(MappingNode node, ReadContext ctx, String path, String pattern) {
        this.ctx = ctx;
        this.location = Nodes.location(node, ctx.file(), path);
        this.pattern = pattern;
        collect(node, true);
    }

    static MapView root(MappingNode node, ReadContext ctx) {
        return new MapView(node, ctx, "", "");
    }

    private void collect(MappingNode node, boolean own) {
        if (!collected.add(node)) {
            return;
        }
        List<NodeTuple> merges = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode instanceof ScalarNode keyScalar && Tag.MERGE.equals(keyScalar.getTag())) {
                merges.add(tuple);
                continue;
            }
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                diagnostics().error("OTA_YAML_KEY", Nodes.location(keyNode, ctx.file(), location.path()),
                        "mapping keys must be plain strings, but this key is " + Nodes.describe(keyNode) + ".",
                        "write the key as a plain word.");
                continue;
            }
            String key = keyScalar.getValue();
            if (keys.containsKey(key)) {
                if (own) {
                    SourceLocation first = Nodes.location(keys.get(key), ctx.file(), location.child(key));
                    diagnostics().error("OTA_YAML_DUPLICATE_KEY",
                            Nodes.location(keyNode, ctx.file(), location.child(key)),
                            "duplicate key `" + key + "` (first declared at line " + first.line() + ").",
                            "keep one `" + key + "` entry and merge the two declarations.");
                }
                continue;
            }
            keys.put(key, keyNode);
            values.put(key, tuple.getValueNode());
        }
        // YAML merge keys (`<<: *base`): explicit keys win over merged ones.
        for (NodeTuple merge : merges) {
            Node value = merge.getValueNode();
            if (value instanceof MappingNode mapping) {
                collect(mapping, false);
            } else if (value instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (item instanceof MappingNode mapping) {
                        collect(mapping, false);
                    }
                }
            }
        }
    }

    public Diagnostics diagnostics() {
        return ctx.diagnostics();
    }

    public ReadContext context() {
        return ctx;
    }

    public SourceLocation location() {
        return location;
    }

    public String path() {
        return location.path();
    }

    public String pattern() {
        return pattern;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** Location of the value under {@code key}, or of this mapping (with the child path) if absent. */
    public SourceLocation at(String key) {
        Node node = values.get(key);
        String childPath = location.child(key);
        return node == null ? location.withPath(childPath) : Nodes.location(node, ctx.file(), childPath);
    }

    /** Location of the key itself (for unknown-key messages). */
    public SourceLocation keyAt(String key) {
        Node node = keys.get(key);
        String childPath = location.child(key);
        return node == null ? location.withPath(childPath) : Nodes.location(node, ctx.file(), childPath);
    }

    /** Location of every declared key's value, by key (for model {@code Site}s). */
    public Map<String, SourceLocation> fieldLocations() {
        Map<String, SourceLocation> out = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            out.put(key, at(key));
        }
        return out;
    }

    /** Locations of the items of a list value ({@code key[0]}, {@code key[1]}, …); empty if not a list. */
    public List<SourceLocation> itemLocations(String key) {
        if (!(values.get(key) instanceof SequenceNode seq)) {
            return List.of();
        }
        List<SourceLocation> out = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            out.add(Nodes.location(item, ctx.file(), location.child(key) + "[" + i++ + "]"));
        }
        return out;
    }

    /** Marks a key as understood without reading it. */
    public void accept(String key) {
        consumed.add(key);
    }

    /** The raw node (marks it consumed). */
    public Node raw(String key) {
        consumed.add(key);
        return values.get(key);
    }

    // ---- scalars ------------------------------------------------------------------------------

    /**
     * A string value. Numbers are accepted as their literal text (`java: 21`), since YAML users
     * rarely quote versions; booleans, lists and mappings are errors.
     */
    public String string(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        return scalarString(node, at(key), "a string");
    }

    private String scalarString(Node node, SourceLocation at, String expected) {
        if (node instanceof ScalarNode scalar) {
            Tag tag = scalar.getTag();
            if (Tag.STR.equals(tag) || Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                return scalar.getValue();
            }
        }
        typeError(at, expected, node);
        return null;
    }

    public Integer integer(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            try {
                return Integer.valueOf(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                diagnostics().error("OTA_TYPE", at(key), "`" + scalar.getValue() + "` is not a whole number in range.",
                        "use a whole number such as `8080`.");
                return null;
            }
        }
        typeError(at(key), "a whole number", node);
        return null;
    }

    public Boolean bool(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            String v = scalar.getValue().toLowerCase();
            return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
        }
        typeError(at(key), "`true` or `false`", node);
        return null;
    }

    /** A string that must be one of {@code allowed}; anything else is reported with the allowed list. */
    public String oneOf(String key, Collection<String> allowed) {
        String value = string(key);
        if (value == null) {
            return null;
        }
        if (!allowed.contains(value)) {
            String hint = Nodes.closest(value, allowed);
            diagnostics().error("OTA_ENUM", at(key),
                    "`" + value + "` is not an allowed value for `" + key + "`; allowed: " + join(allowed) + ".",
                    hint != null ? "did you mean `" + hint + "`?" : "use one of " + join(allowed) + ".");
            return null;
        }
        return value;
    }

    public List<String> stringList(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode seq)) {
            typeError(at(key), "a list of strings", node);
            return null;
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            String v = scalarString(item, Nodes.location(item, ctx.file(), location.child(key) + "[" + i + "]"),
                    "a string");
            if (v != null) {
                out.add(v);
            }
            i++;
        }
        return List.copyOf(out);
    }

    public List<Integer> intList(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode seq)) {
            typeError(at(key), "a list of whole numbers", node);
            return null;
        }
        List<Integer> out = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            SourceLocation itemAt = Nodes.location(item, ctx.file(), location.child(key) + "[" + i + "]");
            if (item instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
                try {
                    out.add(Integer.valueOf(s.getValue()));
                } catch (NumberFormatException e) {
                    typeError(itemAt, "a whole number", item);
                }
            } else {
                typeError(itemAt, "a whole number", item);
            }
            i++;
        }
        return List.copyOf(out);
    }

    /** A mapping of string to string (e.g. `env`, `headers`). */
    public Map<String, String> stringMap(String key) {
        MapView map = map(key);
        if (map == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : map.keys()) {
            Node node = map.raw(k);
            if (node instanceof ScalarNode s && (Tag.BOOL.equals(s.getTag()))) {
                out.put(k, s.getValue());
                continue;
            }
            String v = map.scalarString(node, map.at(k), "a string");
            if (v != null) {
                out.put(k, v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    // ---- nested mappings ----------------------------------------------------------------------

    /** A nested mapping, or null if absent or of the wrong type (reported). */
    public MapView map(String key) {
        Node node = raw(key);
        if (node == null) {
            return null;
        }
        if (node instanceof MappingNode mapping) {
            return new MapView(mapping, ctx, location.child(key), childPattern(key));
        }
        if (Nodes.isNull(node)) {
            // `key:` with nothing after it: treat as an empty mapping, the way ota does.
            return new MapView(emptyMapping(node), ctx, location.child(key), childPattern(key));
        }
        typeError(at(key), "a mapping", node);
        return null;
    }

    /**
     * Entries of a name-keyed mapping ({@code tasks}, {@code contexts}), each as a view whose
     * pattern uses {@code placeholder} (e.g. {@code <task>}). Values that are not mappings are
     * reported. Returns an empty map when the key is absent.
     */
    public Map<String, MapView> entries(String key, String placeholder) {
        MapView map = map(key);
        if (map == null) {
            return Map.of();
        }
        Map<String, MapView> out = new LinkedHashMap<>();
        for (String name : map.keys()) {
            MapView child = map.mapEntry(name, placeholder);
            if (child != null) {
                out.put(name, child);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** This mapping's own value at {@code name} as a mapping, with a placeholder pattern. */
    public MapView mapEntry(String name, String placeholder) {
        Node node = raw(name);
        if (node instanceof MappingNode mapping) {
            return new MapView(mapping, ctx, location.child(name), joinPattern(pattern, placeholder));
        }
        if (node != null && Nodes.isNull(node)) {
            return new MapView(emptyMapping(node), ctx, location.child(name),
                    joinPattern(pattern, placeholder));
        }
        if (node != null) {
            typeError(at(name), "a mapping", node);
        }
        return null;
    }

    private static MappingNode emptyMapping(Node at) {
        return new MappingNode(Tag.MAP, true, new ArrayList<>(), at.getStartMark(), at.getEndMark(),
                org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    }

    /** The value node's kind at key: true if a scalar (used for string-or-map fields). */
    public boolean isScalar(String key) {
        return values.get(key) instanceof ScalarNode s && !Tag.NULL.equals(s.getTag());
    }

    public boolean isMapping(String key) {
        return values.get(key) instanceof MappingNode;
    }

    public boolean isSequence(String key) {
        return values.get(key) instanceof SequenceNode;
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * Reports keys no getter consumed: keys of the reference contract that ota-maven does not
     * implement become one warning per field (through the read context); anything else is an
     * error with a "did you mean" hint.
     */
    public void finish(Set<String> implemented, Set<String> notImplemented) {
        for (String key : values.keySet()) {
            if (consumed.contains(key)) {
                continue;
            }
            if (notImplemented.contains(key)) {
                ctx.noteUnsupported(childPattern(key), keyAt(key));
                continue;
            }
            if (implemented.contains(key)) {
                continue; // implemented but read elsewhere
            }
            Set<String> known = new TreeSet<>(implemented);
            known.addAll(notImplemented);
            String hint = Nodes.closest(key, known);
            String where = pattern.isEmpty() ? "the top level" : "`" + pattern + "`";
            diagnostics().error("OTA_UNKNOWN_KEY", keyAt(key),
                    "unknown key `" + key + "` in " + where + ".",
                    hint != null ? "did you mean `" + hint + "`?"
                            : "remove it; allowed keys here: " + join(known) + ".");
        }
    }

    /** Records a key as used by a field the reference defines but ota-maven ignores. */
    public void markUnsupported(String key) {
        if (has(key)) {
            consumed.add(key);
            ctx.noteUnsupported(childPattern(key), keyAt(key));
        }
    }

    private String childPattern(String key) {
        return joinPattern(pattern, key);
    }

    private static String joinPattern(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }

    private void typeError(SourceLocation at, String expected, Node actual) {
        diagnostics().error("OTA_TYPE", at, "expected " + expected + ", but the value is " + Nodes.describe(actual) + ".",
                "write " + expected + " here.");
    }

    static String join(Collection<String> values) {
        return Words.backticked(values);
    }
}
