package dev.ota.core.yaml;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads one YAML file into SnakeYAML's node graph (never into Java objects), so every value keeps
 * its line and column. All read problems become diagnostics naming the file; nothing throws.
 */
public final class YamlDocument {

    private YamlDocument() {}

    /**
     * Reads {@code file} and returns its root mapping, or empty after reporting why not.
     *
     * @param what what the file is, for messages ("contract", "org policy")
     */
    public static Optional<MapView> read(Path file, String what, ReadContext ctx) {
        String displayName = ctx.file();
        Diagnostics diags = ctx.diagnostics();
        SourceLocation whole = SourceLocation.ofFile(displayName);
        if (Files.isDirectory(file)) {
            diags.error("OTA_FILE_IS_DIRECTORY", whole, what + " path is a directory, not a file.",
                    "point -Dota.file at the " + what + " file itself (e.g. "
                            + file.resolve(isWorkspace(what) ? "ota.workspace.yaml" : "ota.yaml") + ").");
            return Optional.empty();
        }
        if (!Files.exists(file)) {
            diags.error("OTA_FILE_MISSING", whole, what + " file does not exist.",
                    "create it, or point -Dota.file at an existing "
                            + (isWorkspace(what) ? "ota.workspace.yaml." : "ota.yaml."));
            return Optional.empty();
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > YamlLimits.MAX_FILE_BYTES) {
                diags.error("OTA_FILE_TOO_LARGE", whole,
                        String.format("%s file is %,d bytes; ota-maven reads at most %,d bytes.",
                                what, size, YamlLimits.MAX_FILE_BYTES),
                        "check that -Dota.file names the right file; a contract is normally a few kilobytes.");
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            diags.error("OTA_FILE_UNREADABLE", whole, what + " file cannot be read: " + e.getMessage(),
                    "check the file's permissions.");
            return Optional.empty();
        }
        return parse(bytes, what, ctx);
    }

    /** Parses bytes already in memory (tests, generated contracts). */
    public static Optional<MapView> parse(byte[] bytes, String what, ReadContext ctx) {
        String displayName = ctx.file();
        Diagnostics diags = ctx.diagnostics();
        SourceLocation whole = SourceLocation.ofFile(displayName);
        String text;
        try {
            text = decodeUtf8(bytes);
        } catch (MalformedInputException e) {
            int offset = firstBadByte(bytes);
            int line = 1;
            int column = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    column++;
                }
            }
            diags.error("OTA_YAML_ENCODING", new SourceLocation(displayName, line, column, ""),
                    String.format("%s file is not valid UTF-8 (byte 0x%02X at offset %d).",
                            what, bytes[offset] & 0xFF, offset),
                    "save the file as UTF-8.");
            return Optional.empty();
        } catch (CharacterCodingException e) {
            diags.error("OTA_YAML_ENCODING", whole, what + " file is not valid UTF-8.", "save the file as UTF-8.");
            return Optional.empty();
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Node root;
        try {
            root = compose(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourceLocation at = mark == null ? whole
                    : new SourceLocation(displayName, mark.getLine() + 1, mark.getColumn() + 1, "");
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            diags.error("OTA_YAML_SYNTAX", at, "malformed YAML: " + problem + context + ".",
                    "fix the YAML syntax at this line (check indentation, quotes and ':' separators).");
            return Optional.empty();
        } catch (YAMLException e) {
            diags.error("OTA_YAML_LIMIT", whole, what + " file exceeds the YAML safety limits: " + e.getMessage(),
                    "simplify the file: ota-maven refuses more than " + YamlLimits.MAX_ALIASES
                            + " aliases and nesting deeper than " + YamlLimits.MAX_NESTING_DEPTH + " levels.");
            return Optional.empty();
        }
        if (root == null) {
            diags.error("OTA_YAML_EMPTY", whole, what + " file is empty.", "start it with `version: 1` and "
                    + (isWorkspace(what) ? "`workspace: { name: <name> }`." : "`project: { name: <name> }`."));
            return Optional.empty();
        }
        if (!(root instanceof MappingNode mapping)) {
            SourceLocation at = Nodes.location(root, displayName, "");
            diags.error("OTA_YAML_ROOT", at, what + " root must be a mapping, but it is " + Nodes.describe(root) + ".",
                    "write the file as `key: value` pairs at the top level (`version: 1`, "
                            + (isWorkspace(what) ? "`workspace: ...`, `repos: ...`)." : "`project: ...`)."));
            return Optional.empty();
        }
        return Optional.of(MapView.root(mapping, ctx));
    }

    private static boolean isWorkspace(String what) {
        return what.startsWith("workspace");
    }

    /** Only reads: a {@code Resolver} is not changed after construction, so one serves every parse. */
    private static final Resolver RESOLVER = new Resolver();

    /**
     * The node graph of one document, as {@code new Yaml(options).compose(reader)} builds it, without
     * the {@code Yaml} facade: that also builds a constructor and a representer (and loads their
     * classes) that composing never uses, which cost more than the parse of a small file.
     */
    private static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(YamlLimits.MAX_ALIASES);
        options.setNestingDepthLimit(YamlLimits.MAX_NESTING_DEPTH);
        options.setCodePointLimit(YamlLimits.MAX_FILE_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), RESOLVER, options)
                .getSingleNode();
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : 0;
    }
}
