package dev.ota.maven.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractLocationTest {

    @TempDir
    Path dir;

    @Test
    void defaultIsOtaYamlInTheBaseDirectory() throws IOException {
        ContractLocation location = ContractLocation.resolve(null, dir);

        assertThat(location.file()).isEqualTo(dir.toAbsolutePath().normalize().resolve("ota.yaml"));
        assertThat(location.displayName()).isEqualTo("ota.yaml");
        assertThat(location.explicit()).isFalse();
        assertThat(location.exists()).isFalse();

        Files.writeString(dir.resolve("ota.yaml"), "version: 1\n");
        assertThat(ContractLocation.resolve(null, dir).exists()).isTrue();
    }

    @Test
    void relativeValueResolvesAgainstBaseDirectoryAndKeepsItsRelativeName() {
        ContractLocation location = ContractLocation.resolve(new File("contract/./ota.yaml"), dir);

        assertThat(location.file()).isEqualTo(dir.toAbsolutePath().normalize().resolve("contract/ota.yaml"));
        assertThat(location.displayName()).isEqualTo("contract/ota.yaml");
        assertThat(location.explicit()).isTrue();
        assertThat(location.directory()).isEqualTo(dir.toAbsolutePath().normalize().resolve("contract"));
    }

    @Test
    void absoluteValueBelowBaseDirectoryIsNamedRelatively() {
        File absolute = dir.resolve("sub/ota.yaml").toAbsolutePath().toFile();

        assertThat(ContractLocation.resolve(absolute, dir).displayName()).isEqualTo("sub/ota.yaml");
    }

    @Test
    void fileOutsideBaseDirectoryIsNamedAbsolutely() {
        Path other = dir.resolve("elsewhere/ota.yaml").toAbsolutePath().normalize();

        ContractLocation location = ContractLocation.resolve(other.toFile(), dir.resolve("project"));

        assertThat(location.displayName()).isEqualTo(other.toString());
    }

    @Test
    void blankValueCountsAsDefault() {
        assertThat(ContractLocation.resolve(new File(""), dir).explicit()).isFalse();
    }
}
