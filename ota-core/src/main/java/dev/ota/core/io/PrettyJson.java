package dev.ota.core.io;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer for documents written where start-up time counts (the core
 * extension writes {@code workspace.json} before any mojo runs; Jackson's first use costs some
 * 500 classes). Writes exactly what Jackson's default pretty printer writes: objects one field per
 * line with a two-space indent and {@code "name" : value}, arrays inline ({@code [ 1, 2 ]},
 * {@code [ ]}), control characters escaped the way Jackson escapes them. Not thread-safe.
 */
public final class PrettyJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder(1024);
    /** Per open object or array: how many fields or values it has so far. */
    private final Deque<int[]> open = new ArrayDeque<>();
    private int objectDepth;
    private boolean afterName;

    public PrettyJson beginObject() {
        beforeValue();
        out.append('{');
        objectDepth++;
        open.push(new int[1]);
        return this;
    }

    public PrettyJson endObject() {
        int[] top = open.pop();
        objectDepth--;
        if (top[0] > 0) {
            newline(objectDepth);
        } else {
            out.append(' ');
        }
        out.append('}');
        return this;
    }

    public PrettyJson beginArray() {
        beforeValue();
        out.append('[');
        open.push(new int[1]);
        return this;
    }

    public PrettyJson endArray() {
        open.pop();
        out.append(" ]"); // `[ ]` when empty, `[ 1, 2 ]` otherwise
        return this;
    }

    /** The next field's name (inside an object). */
    public PrettyJson name(String name) {
        int[] top = open.peek();
        if (top[0]++ > 0) {
            out.append(',');
        }
        newline(objectDepth);
        string(name);
        out.append(" : ");
        afterName = true;
        return this;
    }

    public PrettyJson value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public PrettyJson value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public PrettyJson value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A field whose value is a string; left out when the value is null (Jackson's NON_NULL). */
    public PrettyJson field(String name, String value) {
        return value == null ? this : name(name).value(value);
    }

    /** A field whose value is an array of strings; left out when the list is null. */
    public PrettyJson field(String name, Iterable<String> values) {
        if (values == null) {
            return this;
        }
        name(name).beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    /** An array of strings as it appears inside a document: {@code [ "a", "b" ]}, {@code [ ]}. */
    public static String stringArray(Iterable<String> values) {
        PrettyJson json = new PrettyJson().beginArray();
        for (String v : values) {
            json.value(v);
        }
        return json.endArray().toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        int[] top = open.peek();
        if (top == null) {
            return; // the root value
        }
        // inside an array
        out.append(top[0]++ > 0 ? ", " : " ");
    }

    private void newline(int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
