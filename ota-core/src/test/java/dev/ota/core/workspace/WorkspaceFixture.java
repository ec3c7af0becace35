package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Writes a workspace (the workspace file and repo contracts) into a directory and loads it. */
final class WorkspaceFixture {

    /** A native service `dev` publishing http://127.0.0.1:18080/api, plus tasks that break each repo-target rule. */
    static final String API = """
            version: 1
            project:
              name: api
            tasks:
              dev:
                run: ./api
                runtime:
                  kind: service
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 18080 } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: fixed, value: 18080 }, path: /api }
              auto:
                run: ./auto
                runtime:
                  kind: service
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: discover } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: auto } }
              hidden:
                run: ./hidden
                runtime:
                  kind: service
                  listeners:
                    raw:
                      protocol: tcp
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 18090 } }
              pair:
                run: ./pair
                runtime:
                  kind: service
                  listeners:
                    web: { http: 18081 }
                    admin:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 18082 } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: fixed, value: 18082 }, primary: true }
              build:
                run: ./build
            """;

    /** A consumer task `e2e` in repo `web` whose target `api` has the given `service` flow mapping body. */
    static String web(String service) {
        return web(service, "manual");
    }

    static String web(String service, String mode) {
        return """
                version: 1
                project:
                  name: web
                tasks:
                  e2e:
                    run: ./e2e
                    targets:
                      api:
                        service: { %s }
                        activation: { mode: %s }
                """.formatted(service, mode);
    }

    static final String WORKSPACE = """
            version: 1
            workspace:
              name: shop
            repos:
              api:
                path: repos/api
              web:
                path: repos/web
                depends_on: [api]
            """;

    final Path root;

    WorkspaceFixture(Path root) {
        this.root = root;
    }

    Path workspace(String yaml) {
        return write(Workspace.FILE_NAME, yaml);
    }

    /** Writes {@code <repo>/ota.yaml}. */
    Path contract(String repo, String yaml) {
        return write(repo + "/ota.yaml", yaml);
    }

    Path dir(String relative) {
        try {
            return Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The standard two-repo shop: `api` (producers) and `web` (the consumer with the given service). */
    Path shop(String webService) {
        contract("repos/api", API);
        Path web = contract("repos/web", web(webService));
        workspace(WORKSPACE);
        return web;
    }

    Loaded load(String yaml) {
        Path file = workspace(yaml);
        Diagnostics diags = new Diagnostics();
        Workspace ws = WorkspaceLoader.load(file, Workspace.FILE_NAME, diags).orElse(null);
        return new Loaded(ws, diags);
    }

    /** Loads and validates. */
    Loaded validate(String yaml) {
        Loaded loaded = load(yaml);
        if (loaded.workspace() != null) {
            WorkspaceValidator.validate(loaded.workspace(), loaded.diags());
        }
        return loaded;
    }

    record Loaded(Workspace workspace, Diagnostics diags) {

        List<Diagnostic> errors() {
            return diags.errors();
        }

        List<Diagnostic> warnings() {
            return diags.warnings();
        }

        Diagnostic error(String code, String path) {
            return find(diags.errors(), code, path);
        }

        Diagnostic warning(String code, String path) {
            return find(diags.warnings(), code, path);
        }
    }

    static String render(List<Diagnostic> diagnostics) {
        return diagnostics.isEmpty() ? "(none)"
                : diagnostics.stream().map(d -> d.code() + " @ " + d.render()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /** The diagnostic with {@code code} at exactly YAML path {@code path}; it names a line and a fix. */
    static Diagnostic find(List<Diagnostic> diagnostics, String code, String path) {
        Diagnostic d = diagnostics.stream().filter(x -> x.code().equals(code) && x.path().equals(path)).findFirst()
                .orElse(null);
        if (d == null) {
            fail("expected " + code + " at `" + path + "`, got:" + render(diagnostics));
        }
        assertThat(d.location().line()).as("line of %s", d.render()).isPositive();
        assertThat(d.location().column()).as("column of %s", d.render()).isPositive();
        assertThat(d.fix()).as("fix of %s", d.render()).isNotBlank();
        assertThat(d.render()).contains(path).contains("Fix: ");
        return d;
    }
}
