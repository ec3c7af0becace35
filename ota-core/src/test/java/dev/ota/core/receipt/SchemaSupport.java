package dev.ota.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/** docs/schemas/receipt.schema.json, loaded once for every test class (tests run in the module directory). */
public final class SchemaSupport {

    static final Path SCHEMA_FILE = Path.of("..", "docs", "schemas", "receipt.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchema SCHEMA = load();

    private SchemaSupport() {}

    private static JsonSchema load() {
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(JSON.readTree(SCHEMA_FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA_FILE.toAbsolutePath(), e);
        }
    }

    static Set<ValidationMessage> validate(JsonNode receipt) {
        return SCHEMA.validate(receipt);
    }

    public static void assertValid(JsonNode receipt) {
        assertThat(validate(receipt)).as("schema violations in %s", receipt.toPrettyString()).isEmpty();
    }

    static ObjectNode tree(Receipt receipt) {
        try {
            return (ObjectNode) JSON.readTree(ReceiptJson.toJson(receipt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
