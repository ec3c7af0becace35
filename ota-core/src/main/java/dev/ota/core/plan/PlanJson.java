package dev.ota.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.ota.core.diagnostics.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes {@link Plan} as JSON ({@code docs/schemas/plan.schema.json}), reference field names in snake_case. */
public final class PlanJson {

    private static final ObjectMapper MAPPER = mapper();

    private PlanJson() {}

    /** The mapper every ota-maven JSON document is written with. */
    public static ObjectMapper mapper() {
        SimpleModule module = new SimpleModule("ota-diagnostics");
        module.addSerializer(Diagnostic.class, new DiagnosticSerializer());
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .registerModule(module);
    }

    public static String toJson(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes atomically (temp file + move), creating parent directories. */
    public static void write(Plan plan, Path file) throws IOException {
        dev.ota.core.io.AtomicFiles.write(file, (toJson(plan) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {severity, code, path, message, fix, file, line, column}}. */
    private static final class DiagnosticSerializer extends StdSerializer<Diagnostic> {
        DiagnosticSerializer() {
            super(Diagnostic.class);
        }

        @Override
        public void serialize(Diagnostic d, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("severity", d.severity().label());
            gen.writeStringField("code", d.code());
            gen.writeStringField("path", d.location().path());
            gen.writeStringField("message", d.message());
            gen.writeStringField("fix", d.fix());
            gen.writeStringField("file", d.location().file());
            gen.writeNumberField("line", d.location().line());
            gen.writeNumberField("column", d.location().column());
            gen.writeEndObject();
        }
    }
}
